//! The real server, a real Chromium, and polling with a deadline.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Longest any awaited condition may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(30);
/// Pause between two looks at a condition.
const POLL: Duration = Duration::from_millis(25);

/// Waits until `probe` returns `Some`, looking every [`POLL`]; fails after [`DEADLINE`].
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(POLL).await;
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `looplab` binary serving the built page on a free port.
pub(crate) struct Server {
    _child: Child,
    pub(crate) url: String,
}

impl Server {
    pub(crate) async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// As [`Server::start`], with more arguments for `looplab`.
    pub(crate) async fn start_with(args: &[&str]) -> Self {
        Self::spawn("0", args).await
    }

    /// As [`Server::start`], serving the page compiled into the binary, as deployed.
    pub(crate) async fn start_embedded() -> Self {
        Self::spawn_page("0", None, &[]).await
    }

    /// A server on `port`, where one was before: a page that lost the last one finds it.
    pub(crate) async fn start_at(port: u16) -> Self {
        Self::spawn(&port.to_string(), &[]).await
    }

    /// The port this server listens on.
    pub(crate) fn port(&self) -> u16 {
        let after = self.url.rsplit(':').next().unwrap_or_default();
        after.trim_end_matches('/').parse().unwrap()
    }

    async fn spawn(port: &str, args: &[&str]) -> Self {
        Self::spawn_page(port, Some(repo_root().join("dist")), args).await
    }

    /// `dist`: the page's folder, or `None` for the one in the binary.
    async fn spawn_page(port: &str, dist: Option<PathBuf>, args: &[&str]) -> Self {
        let built = repo_root().join("dist/index.html");
        assert!(
            built.is_file(),
            "no built page in {}: scripts/test.sh builds it before the tests",
            built.display()
        );
        let mut command = Command::new(env!("CARGO_BIN_EXE_looplab"));
        // Its warnings only: a line for each run would bury the tests' own output.
        command.args(["--port", port]).env("RUST_LOG", "warn");
        if let Some(dist) = dist {
            command.arg("--dist").arg(dist);
        }
        let mut child = command
            .args(args)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(DEADLINE, lines.next_line())
            .await
            .expect("the server printed no URL in time")
            .unwrap()
            .expect("the server exited before printing its URL");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"))
            .to_owned();
        Self { _child: child, url }
    }
}

/// The server, and a browser showing its page.
pub(crate) async fn open_page() -> (Server, Browser) {
    let server = Server::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url).await.unwrap();
    (server, browser)
}

/// A headless Chromium session through chromedriver.
pub(crate) struct Browser {
    driver: Child,
    pub(crate) client: Client,
}

impl Drop for Browser {
    /// chromedriver leads its own process group, with the Chromium it started: killing the
    /// group ends them all, where killing chromedriver alone would orphan the browser.
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id().and_then(|p| libc::pid_t::try_from(p).ok()) {
            // SAFETY: killpg has no memory-safety preconditions; the group is this test's.
            unsafe { libc::killpg(pid, libc::SIGKILL) };
        }
    }
}

impl Browser {
    /// A browser with a desktop's window, 1400×900.
    pub(crate) async fn start() -> Self {
        Self::start_sized(1400, 900).await
    }

    /// A browser whose page is `width` × `height` CSS pixels.
    pub(crate) async fn start_sized(width: u32, height: u32) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver is missing: scripts/test.sh installs chromium-driver");
        let caps = serde_json::json!({
            // The nginx tests' certificate is self-signed.
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", format!("--window-size={width},{height}")
                ]
            },
            // The console, for what the browser refused (security.rs reads it).
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let client = eventually("chromedriver to accept a session", || {
            let (caps, url) = (caps.clone(), url.clone());
            async move {
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(caps)
                    .connect(&url)
                    .await
                    .ok()
            }
        })
        .await;
        client.goto("about:blank").await.unwrap();
        let browser = Self { driver, client };
        browser.resize(width, height).await;
        browser
    }

    /// Resizes the window so that the page gets exactly `width` × `height` CSS pixels: the
    /// window's frame takes room of its own.
    pub(crate) async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
        let inner = self
            .client
            .execute("return [innerWidth, innerHeight];", vec![])
            .await
            .unwrap();
        let inner = |i: usize| inner[i].as_u64().unwrap() as u32;
        let frame = (
            width.saturating_sub(inner(0)),
            height.saturating_sub(inner(1)),
        );
        if frame != (0, 0) {
            self.client
                .set_window_size(width + frame.0, height + frame.1)
                .await
                .unwrap();
        }
    }

    /// Presses Run as soon as the page has connected and enabled it.
    pub(crate) async fn press_run(&self) {
        let run = eventually("the Run button to enable once connected", || async {
            let button = self
                .client
                .find(Locator::Css("[data-testid=run]"))
                .await
                .ok()?;
            button.is_enabled().await.ok()?.then_some(button)
        })
        .await;
        run.click().await.unwrap();
    }

    /// Presses Run and waits for the run to end, whatever the end.
    pub(crate) async fn run_to_end(&self) {
        self.press_run().await;
        eventually("the run to end", || async {
            let state = self.run_state().await?;
            (!["running", "starting", ""].contains(&state.as_str())).then_some(())
        })
        .await;
    }

    /// Types `value` into the field at `css` as a person would: the field gets an `input`
    /// event with its whole new value.
    pub(crate) async fn set_input(&self, css: &str, value: &str) {
        let script = "const [css, v] = arguments; const el = document.querySelector(css); \
                      if (!el) return false; \
                      el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); return true;";
        eventually(&format!("{css} to appear and take input"), || async {
            let done = self
                .client
                .execute(script, vec![css.into(), value.into()])
                .await
                .ok()?;
            (done == serde_json::Value::Bool(true)).then_some(())
        })
        .await;
    }

    /// Picks `value` in the select at `css`, once the page shows it.
    pub(crate) async fn choose(&self, css: &str, value: &str) {
        eventually(&format!("{css} to appear and take {value}"), || async {
            let select = self.client.find(Locator::Css(css)).await.ok()?;
            select.select_by_value(value).await.ok()
        })
        .await;
    }

    /// Adds a step of `kind` to the builder's body at `body` (a CSS selector) from its
    /// "+ step" menu: open it, pick the kind.
    pub(crate) async fn add_step(&self, body: &str, kind: &str) {
        self.click(&format!("{body} [data-testid=add-step]")).await;
        self.click(&format!("{body} .step-menu [data-kind={kind}]"))
            .await;
    }

    /// Clicks the element at `css` once the page shows it. Found and clicked together: the
    /// app renders after load, and a render may replace the element in between. Like a
    /// person, it first scrolls the element to the middle of the window, clear of the run
    /// controls held at its bottom edge.
    pub(crate) async fn click(&self, css: &str) {
        eventually(&format!("{css} to appear and take a click"), || async {
            let element = self.client.find(Locator::Css(css)).await.ok()?;
            let to_middle = "arguments[0].scrollIntoView({block: 'center'});";
            let arg = serde_json::to_value(&element).ok()?;
            self.client.execute(to_middle, vec![arg]).await.ok()?;
            element.click().await.ok()
        })
        .await;
    }

    /// The text of the element at `css`, once the page shows it.
    pub(crate) async fn text_of(&self, css: &str) -> String {
        eventually(&format!("{css} to appear"), || async {
            self.client
                .find(Locator::Css(css))
                .await
                .ok()?
                .text()
                .await
                .ok()
        })
        .await
    }

    /// The current value of the form field at `css`, once the page shows it.
    pub(crate) async fn value_of(&self, css: &str) -> String {
        eventually(&format!("{css} to appear"), || async {
            let field = self.client.find(Locator::Css(css)).await.ok()?;
            Some(field.prop("value").await.ok()?.unwrap_or_default())
        })
        .await
    }

    /// Waits until the page's run state is `state`; `what` names the wait in a failure.
    pub(crate) async fn until_state(&self, state: &str, what: &str) {
        eventually(what, || async {
            (self.run_state().await? == state).then_some(())
        })
        .await;
    }

    /// The page's run state (`data-run-state`).
    pub(crate) async fn run_state(&self) -> Option<String> {
        let status = self
            .client
            .find(Locator::Css("[data-run-state]"))
            .await
            .ok()?;
        status.attr("data-run-state").await.ok()?
    }

    /// The real console's lines, in order.
    pub(crate) async fn console_lines(&self) -> Option<Vec<String>> {
        let found = self
            .client
            .find_all(Locator::Css("[data-testid=console-line] .text"))
            .await
            .ok()?;
        let mut lines = Vec::with_capacity(found.len());
        for line in found {
            lines.push(line.text().await.ok()?);
        }
        Some(lines)
    }

    /// An attribute of the timeline canvas.
    pub(crate) async fn timeline_attr(&self, name: &str) -> Option<String> {
        let canvas = self
            .client
            .find(Locator::Css("[data-testid=timeline]"))
            .await
            .ok()?;
        canvas.attr(name).await.ok()?
    }

    /// Presses and releases `key` (a character, or a [`fantoccini::key::Key`]) wherever the
    /// focus is, as a keyboard does.
    pub(crate) async fn press(&self, key: impl Into<char>) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let value = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Types `text` into the field at `css` key by key, as a person does: each character is
    /// its own key press and its own `input` event.
    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let field = eventually(&format!("{css} to appear"), || async {
            self.client.find(Locator::Css(css)).await.ok()
        })
        .await;
        field.send_keys(text).await.unwrap();
    }

    /// What has the keyboard's focus: its `data-testid`, `data-preset` or `data-tab`, or
    /// its tag.
    pub(crate) async fn focused(&self) -> String {
        let script = "const e = document.activeElement; \
                      return e.dataset.testid || e.dataset.preset || e.dataset.tab || \
                      (e.dataset.kind && 'menuitem:' + e.dataset.kind) || e.tagName.toLowerCase();";
        let v = self.client.execute(script, vec![]).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// How many elements the page has at `css` now.
    pub(crate) async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// The value of a JavaScript expression on the page.
    pub(crate) async fn eval(&self, expression: &str) -> serde_json::Value {
        let script = format!("return ({expression});");
        self.client.execute(&script, vec![]).await.unwrap()
    }

    /// Whether the element at `css` shows whole inside the window, not hidden under
    /// anything: its box is in the viewport and its middle is itself (or inside it).
    pub(crate) async fn in_view(&self, css: &str) -> bool {
        let script = "const e = document.querySelector(arguments[0]); if (!e) return false; \
                      const r = e.getBoundingClientRect(); \
                      if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight \
                          || r.right > innerWidth) return false; \
                      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                      return e === top || e.contains(top);";
        let v = self.client.execute(script, vec![css.into()]).await.unwrap();
        v == serde_json::Value::Bool(true)
    }

    /// Saves a screenshot under `target/browser-screens/` for people to look at.
    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = repo_root().join("target/browser-screens");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}
