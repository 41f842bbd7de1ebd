//! What a school's network expects of a web server: the WebSocket opened only by the page's
//! own origin (or one the operator allows), and the security headers on every response.
//!
//! A browser sends `Origin` with every WebSocket upgrade; without this check, a page on any
//! other site could open `/ws` and run scenarios in a learner's name (cross-site WebSocket
//! hijacking). A request without `Origin` is no browser's (the CLI's `looplab load`, tests,
//! scripts): it carries no learner's credentials and stays allowed.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, HOST, ORIGIN, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The `Content-Security-Policy` header.
pub const CSP: HeaderName = HeaderName::from_static("content-security-policy");

/// Who may frame the page (`--frame-ancestors`): the page's own origin only.
pub const DEFAULT_FRAME_ANCESTORS: &str = "'self'";

/// Who may frame the page's embed view (`?embed`, `--embed-ancestors`): any site, so a
/// teacher's slides and course pages can show it. The embed view shows only the program,
/// Run and the timeline; the rest of the page stays framed by `--frame-ancestors` only.
pub const DEFAULT_EMBED_ANCESTORS: &str = "*";

/// Sent with every response: no referrer leaves the page.
const REFERRER: &str = "no-referrer";

/// `Cache-Control` of everything but Trunk's hashed files, `index.html` first: kept, but
/// revalidated each time.
pub const REVALIDATE: &str = "no-cache";

/// Why the server's security settings were refused at start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityError {
    /// An `--allowed-origin` is not an origin.
    #[error(
        "--allowed-origin {0:?} is not an origin: write scheme://host or scheme://host:port (http or https, no path)"
    )]
    Origin(String),
    /// `--frame-ancestors` is not a list of CSP sources.
    #[error(
        "--frame-ancestors {0:?} is not a list of sources: write 'self', 'none' or origins such as https://school.example, separated by spaces"
    )]
    FrameAncestors(String),
    /// `--embed-ancestors` is not a list of CSP sources.
    #[error(
        "--embed-ancestors {0:?} is not a list of sources: write *, 'self', 'none' or origins such as https://school.example, separated by spaces"
    )]
    EmbedAncestors(String),
}

/// Why a WebSocket upgrade was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginRefusal {
    /// The page that asked is on another site.
    #[error(
        "the page at {origin} may not open this server's WebSocket: it is not this server's origin (Host: {host}) nor an --allowed-origin"
    )]
    Foreign {
        /// The `Origin` it sent.
        origin: String,
        /// The `Host` it asked for.
        host: String,
    },
}

/// The origins allowed besides the page's own, and who may frame the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    allowed_origins: Vec<String>,
    frame_ancestors: String,
    /// Who may frame the embed view.
    embed_ancestors: String,
    /// The policy of every response but the page's own document.
    base_policy: HeaderValue,
}

impl Default for Security {
    /// No other origin; framed by the page's own origin only.
    fn default() -> Self {
        Self::new(&[], DEFAULT_FRAME_ANCESTORS).expect("the defaults are valid")
    }
}

impl Security {
    /// `allowed_origins` (`https://school.example`) may open the WebSocket besides the page's
    /// own origin; `frame_ancestors` (CSP sources) may frame the page.
    pub fn new(allowed_origins: &[String], frame_ancestors: &str) -> Result<Self, SecurityError> {
        let allowed_origins = allowed_origins
            .iter()
            .map(|o| origin(o).ok_or_else(|| SecurityError::Origin(o.clone())))
            .collect::<Result<_, _>>()?;
        let frame_ancestors = sources(frame_ancestors)
            .ok_or_else(|| SecurityError::FrameAncestors(frame_ancestors.into()))?;
        let mut security = Self {
            allowed_origins,
            frame_ancestors,
            embed_ancestors: DEFAULT_EMBED_ANCESTORS.into(),
            base_policy: HeaderValue::from_static(""),
        };
        security.base_policy = HeaderValue::from_str(&security.policy(&[], None))
            .map_err(|_| SecurityError::FrameAncestors(security.frame_ancestors.clone()))?;
        Ok(security)
    }

    /// The same, with the embed view framed by `embed_ancestors` (CSP sources) instead of
    /// [`DEFAULT_EMBED_ANCESTORS`].
    pub fn with_embed_ancestors(mut self, embed_ancestors: &str) -> Result<Self, SecurityError> {
        self.embed_ancestors = sources(embed_ancestors)
            .ok_or_else(|| SecurityError::EmbedAncestors(embed_ancestors.into()))?;
        Ok(self)
    }

    /// The policy of the page's document, for a request whose query is `query`: the embed
    /// view (`?embed`) may be framed by `--embed-ancestors`, the page by `--frame-ancestors`.
    pub fn document_policy(
        &self,
        scripts: &[String],
        host: Option<&str>,
        query: Option<&str>,
    ) -> String {
        let embed = query
            .unwrap_or_default()
            .split('&')
            .any(|p| p == "embed" || p.starts_with("embed="));
        let ancestors = if embed {
            &self.embed_ancestors
        } else {
            &self.frame_ancestors
        };
        self.policy_framed(scripts, host, ancestors)
    }

    /// Whether the WebSocket upgrade `headers` came with may open a session: it has no
    /// `Origin` (no browser sent it), or its origin is the one the page was served from (the
    /// `Host` it asked for, under either scheme: a TLS proxy in front changes `http` to
    /// `https`), or an allowed one.
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<(), OriginRefusal> {
        let Some(sent) = headers.get(ORIGIN) else {
            return Ok(());
        };
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let sent = String::from_utf8_lossy(sent.as_bytes()).into_owned();
        let refusal = || OriginRefusal::Foreign {
            origin: sent.clone(),
            host: host.clone(),
        };
        // `null` (a sandboxed frame, a file) and anything unreadable end here.
        let origin = origin(&sent).ok_or_else(refusal)?;
        if self.allowed_origins.contains(&origin) {
            return Ok(());
        }
        let (scheme, authority) = origin.split_once("://").ok_or_else(refusal)?;
        if !host.is_empty() && without_default_port(scheme, &host) == authority {
            Ok(())
        } else {
            Err(refusal())
        }
    }

    /// The Content-Security-Policy of the page: scripts from the page's origin and the
    /// inline ones in `scripts` (`'sha256-…'`), WebAssembly compiled (`'wasm-unsafe-eval'`),
    /// style attributes (the timeline sizes its elements with them) but no inline style
    /// elements where the browser tells the two apart, connections to the page's own host
    /// (the socket) and to its own `blob:` exports, no
    /// plugins, forms or `<base>`, and framed only by `--frame-ancestors`.
    pub fn policy(&self, scripts: &[String], host: Option<&str>) -> String {
        self.policy_framed(scripts, host, &self.frame_ancestors)
    }

    fn policy_framed(&self, scripts: &[String], host: Option<&str>, ancestors: &str) -> String {
        let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
        for hash in scripts {
            script_src.push(' ');
            script_src.push_str(hash);
        }
        // 'self' covers ws: and wss: in CSP 3; the host spelled out serves older browsers.
        // blob: is the page's own exports (a trace, a picture), read back by what opens them.
        let mut connect_src = String::from("'self' blob:");
        if let Some(host) = host.filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        }) {
            connect_src.push_str(&format!(" ws://{host} wss://{host}"));
        }
        format!(
            "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
             style-src-elem 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
             connect-src {connect_src}; object-src 'none'; base-uri 'none'; form-action 'none'; \
             frame-ancestors {ancestors}"
        )
    }
}

/// `text` as a list of CSP sources, trimmed; `None` if empty or if it could add a directive.
fn sources(text: &str) -> Option<String> {
    let text = text.trim();
    let source = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"'*:/.-_[]".contains(&b))
    };
    (!text.is_empty() && text.split_whitespace().all(source)).then(|| text.to_owned())
}

/// `text` as an origin, `scheme://host[:port]` in lower case without its scheme's default
/// port; `None` unless it is an http or https origin.
fn origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, authority) = text.split_once("://")?;
    let valid = matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    valid.then(|| format!("{scheme}://{}", without_default_port(scheme, authority)))
}

fn without_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    match (scheme, authority.rsplit_once(':')) {
        ("http", Some((host, "80"))) | ("https", Some((host, "443"))) => host,
        _ => authority,
    }
}

/// Every response, the errors and the page's files among them: a Content-Security-Policy
/// (the page's own, with its scripts' hashes, is set where it is served), `nosniff`, no
/// referrer, and a `Cache-Control` where none was set.
pub(crate) async fn headers(
    State(security): State<Arc<Security>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let upgraded = response.status() == StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers
        .entry(CSP)
        .or_insert_with(|| security.base_policy.clone());
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static(REFERRER));
    if !upgraded {
        headers
            .entry(CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(REVALIDATE));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgrade(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            h.insert(ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        h
    }

    #[test]
    fn lets_the_pages_own_origin_and_allowed_ones_open_the_socket() {
        let security = Security::new(&["https://School.example/".into()], "'self'").unwrap();
        let check = |origin: Option<&str>, host: &str, ok: bool| {
            let got = security.check_origin(&upgrade(origin, host));
            assert_eq!(got.is_ok(), ok, "{origin:?} to {host}: {got:?}");
        };
        check(None, "127.0.0.1:8080", true);
        check(Some("http://127.0.0.1:8080"), "127.0.0.1:8080", true);
        check(Some("https://looplab.example"), "looplab.example", true);
        check(Some("http://looplab.example"), "looplab.example:80", true);
        check(Some("https://looplab.example"), "looplab.example:443", true);
        check(Some("https://school.example"), "127.0.0.1:8080", true);
        check(Some("http://[::1]:8080"), "[::1]:8080", true);
        check(Some("http://evil.example"), "127.0.0.1:8080", false);
        check(Some("http://127.0.0.1:9999"), "127.0.0.1:8080", false);
        check(
            Some("https://looplab.example"),
            "looplab.example:8443",
            false,
        );
        check(Some("null"), "127.0.0.1:8080", false);
        check(Some("http://school.example"), "127.0.0.1:8080", false);
    }

    #[test]
    fn refuses_settings_that_are_not_origins_or_sources() {
        let origin = |o: &str| Security::new(&[o.into()], "'self'").map(|_| ());
        assert!(origin("https://school.example:8443").is_ok());
        assert!(origin("school.example").is_err());
        assert!(origin("https://school.example/path").is_err());
        assert!(origin("ftp://school.example").is_err());
        let frames = |f: &str| Security::new(&[], f).map(|_| ());
        assert!(frames("'self' https://lms.school.example").is_ok());
        assert!(frames("'none'").is_ok());
        assert!(frames("'self'; script-src *").is_err());
        assert!(frames("").is_err());
    }

    #[test]
    fn the_policy_names_the_pages_scripts_its_socket_and_its_framers() {
        let security = Security::new(&[], "'self' https://lms.example").unwrap();
        let policy = security.policy(&["'sha256-abc='".into()], Some("127.0.0.1:8080"));
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; "));
        assert!(
            policy.contains("connect-src 'self' blob: ws://127.0.0.1:8080 wss://127.0.0.1:8080;")
        );
        assert!(policy.ends_with("frame-ancestors 'self' https://lms.example"));
        // The embed view may be framed by any site, or by the sites the operator names.
        let document = |s: &Security, query| s.document_policy(&[], None, query);
        assert!(document(&security, Some("embed")).ends_with("frame-ancestors *"));
        assert!(document(&security, Some("x=1&embed")).ends_with("frame-ancestors *"));
        assert!(document(&security, Some("embedded")).ends_with("'self' https://lms.example"));
        assert!(document(&security, None).ends_with("'self' https://lms.example"));
        let lms = security
            .clone()
            .with_embed_ancestors("https://lms.example")
            .unwrap();
        assert!(document(&lms, Some("embed")).ends_with("frame-ancestors https://lms.example"));
        assert!(
            security
                .clone()
                .with_embed_ancestors("*; script-src *")
                .is_err()
        );
        // A Host that could change the policy is left out of it.
        let odd = security.policy(&[], Some("x; script-src *"));
        assert!(odd.contains("connect-src 'self' blob:; "));
    }
}
