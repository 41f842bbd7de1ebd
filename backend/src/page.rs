//! The page: what Trunk built into `dist/`, compiled into the binary with the precompressed
//! copies `scripts/build-ui.sh` writes beside it (`.br`, `.gz`), so that one file is the whole
//! deployment; or a folder named with `--dist`, read at each request.
//!
//! Each file goes out in the smallest encoding the browser accepts, with its `ETag` (a hash of
//! the bytes sent) and a `Cache-Control` that lets a class download Trunk's hashed files once:
//! their names change whenever their content does. `index.html` names them, so it is always
//! revalidated. A path that names no file is the page's own (a shared link's path opens it);
//! a missing file with an extension (an old hash after a redeploy) is a plain 404.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, HOST, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use crate::security::{REVALIDATE, Security};

/// The page's entry point.
const INDEX: &str = "index.html";

/// `Cache-Control` of Trunk's hashed files: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The page as it was when this binary was compiled (`build.rs` recompiles when it changes).
#[derive(RustEmbed)]
#[folder = "../dist/"]
#[allow_missing = true]
struct Built;

/// `--dist`'s folder and the policy its page is served with: what its handlers need.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The folder Trunk built into.
    pub dir: PathBuf,
    /// Who may frame the page, for its policy.
    pub security: Arc<Security>,
}

/// Where the page comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The copy compiled into this binary.
    Embedded,
    /// A folder Trunk built into (`--dist`), read at each request.
    Folder(PathBuf),
}

impl Page {
    /// Why this page cannot be shown, if it cannot: the binary was compiled before the page
    /// was built, or the folder holds no page.
    pub fn missing(&self) -> Option<String> {
        match self {
            Page::Embedded if Built::get(INDEX).is_none() => Some(
                "this binary was compiled before the page was built: scripts/build-ui.sh \
                 builds it, then cargo build puts it in (or pass --dist DIR)"
                    .into(),
            ),
            Page::Folder(dir) if !dir.join(INDEX).is_file() => Some(format!(
                "no built page in {}: scripts/build-ui.sh builds it",
                dir.display()
            )),
            _ => None,
        }
    }
}

/// A content encoding the page's files are kept in, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    /// Whether `Accept-Encoding` accepts it (named with a weight above zero, or `*`).
    fn accepted(self, headers: &HeaderMap) -> bool {
        let Some(accept) = headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        accept.split(',').any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case(self.token()) || name == "*") && !zero
        })
    }
}

/// Whether `name` is one of Trunk's hashed files (`app-0123456789abcdef.js`,
/// `app-0123456789abcdef_bg.wasm`): its content never changes under that name.
pub fn is_hashed(name: &str) -> bool {
    let name = name.rsplit('/').next().unwrap_or_default();
    // Trunk writes a 64-bit hash in hex without leading zeros: 16 digits, or fewer one time
    // in sixteen.
    name.match_indices('-').any(|(i, _)| {
        let rest = &name.as_bytes()[i + 1..];
        let digits = rest
            .iter()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        (12..=16).contains(&digits) && matches!(rest.get(digits), Some(b'.' | b'_'))
    })
}

/// The `sha256-…` sources of a page's inline scripts, for its Content-Security-Policy: Trunk
/// starts the wasm from a `<script type="module">` in `index.html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let Some(tag_end) = rest[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let tag = &rest[open..tag_end];
        let Some(close) = rest[tag_end..].find("</script>").map(|i| tag_end + i) else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&rest.as_bytes()[tag_end..close]);
            hashes.push(format!("'sha256-{}'", BASE64.encode(digest)));
        }
        rest = &rest[close..];
    }
    hashes
}

/// A strong validator for `bytes`.
fn etag_of(bytes: &[u8]) -> String {
    etag_of_digest(&Sha256::digest(bytes))
}

fn etag_of_digest(digest: &[u8]) -> String {
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// The page for a path that names no file: `index.html`, with the policy its scripts need.
fn document(
    security: &Security,
    html: Vec<u8>,
    scripts: &[String],
    request: &HeaderMap,
    query: Option<&str>,
) -> Response {
    let etag = etag_of(&html);
    let host = request.get(HOST).and_then(|h| h.to_str().ok());
    let policy = security.document_policy(scripts, host, query);
    let mut response = if not_modified(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(crate::security::CSP, policy);
    }
    response
}

/// A path that names no file: the page, unless it looks like a file (a 404 then).
fn not_a_file(path: &str) -> bool {
    !path.rsplit('/').next().unwrap_or_default().contains('.')
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Shown at every page path when the binary carries no page and no `--dist` was given.
const MISSING: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
<title>looplab: page not built</title><h1>looplab's page was not built into this binary</h1>\
<p>It was compiled before <code>scripts/build-ui.sh</code> had built the page into \
<code>dist/</code>. Build the page, then the binary again (<code>scripts/run.sh</code> does \
both), or serve a built page with <code>--dist DIR</code>. The WebSocket (<code>/ws</code>) and \
the command line work regardless.</p></html>\n";

/// The embedded page: any path the router does not route.
pub(crate) async fn embedded(State(security): State<Arc<Security>>, request: Request) -> Response {
    static SCRIPTS: LazyLock<Vec<String>> = LazyLock::new(|| {
        Built::get(INDEX).map_or_else(Vec::new, |f| {
            inline_script_hashes(&String::from_utf8_lossy(&f.data))
        })
    });
    let path = request.uri().path().trim_start_matches('/');
    let headers = request.headers();
    if !path.is_empty() && path != INDEX {
        if let Some(response) = embedded_file(path, headers) {
            return response;
        }
        if !not_a_file(path) {
            return not_found();
        }
    }
    match Built::get(INDEX) {
        Some(index) => document(
            &security,
            index.data.into_owned(),
            &SCRIPTS,
            headers,
            request.uri().query(),
        ),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            MISSING,
        )
            .into_response(),
    }
}

/// One embedded file in the best encoding the request accepts.
fn embedded_file(path: &str, request: &HeaderMap) -> Option<Response> {
    let plain = Built::get(path)?;
    let (file, encoding) = Encoding::ALL
        .into_iter()
        .filter(|e| e.accepted(request))
        .find_map(|e| Built::get(&format!("{path}{}", e.suffix())).map(|f| (f, Some(e))))
        .unwrap_or((plain, None));
    let etag = etag_of_digest(&file.metadata.sha256_hash());
    let mut response = if not_modified(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // Borrowed from the binary: no copy.
        Body::from(file.data).into_response()
    };
    let headers = response.headers_mut();
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if let Ok(mime) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(CONTENT_TYPE, mime);
    }
    if let Some(encoding) = encoding {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
    }
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    let cache = if is_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(response)
}

/// `--dist`'s page for a path that names no file in it: read at each request, so a page
/// rebuilt while the server runs is served as built.
pub(crate) async fn folder_index(State(folder): State<Folder>, request: Request) -> Response {
    let Folder { dir, security } = &folder;
    let path = request.uri().path();
    if path != "/index.html" && !not_a_file(path) {
        return not_found();
    }
    match tokio::fs::read(dir.join(INDEX)).await {
        Ok(html) => {
            let scripts = inline_script_hashes(&String::from_utf8_lossy(&html));
            document(
                security,
                html,
                &scripts,
                request.headers(),
                request.uri().query(),
            )
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "no built page in --dist\n").into_response(),
    }
}

/// `--dist`'s files, as `ServeDir` sends them: cached by their names.
pub(crate) async fn folder_cache(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let fresh = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let cache = if hashed && fresh {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_trunks_hashed_names() {
        let check = |name: &str, hashed: bool| assert_eq!(is_hashed(name), hashed, "{name}");
        check("/looplab-frontend-cbb23ca929764dde.js", true);
        check("looplab-frontend-cbb23ca929764dde_bg.wasm", true);
        check("looplab-frontend-cbb23ca929764dde_bg.wasm.br", true);
        check("/style-f37b91fe34ea6a4f.css", true);
        check("/index.html", false);
        check("/style.css", false);
        // A hash with a leading zero, as Trunk writes it: one digit fewer.
        check("looplab-frontend-df6e32fd977f56a_bg.wasm", true);
        check("/app-cbb23ca9297.js", false);
        check("/app-CBB23CA929764DDE.js", false);
        check("/lesson/gather", false);
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<script type=\"module\">run()</script><script src=\"/a.js\"></script>\
                    <script>\nb()\n</script>";
        let expected: Vec<String> = ["run()", "\nb()\n"]
            .iter()
            .map(|s| format!("'sha256-{}'", BASE64.encode(Sha256::digest(s.as_bytes()))))
            .collect();
        assert_eq!(inline_script_hashes(html), expected);
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn reads_accept_encoding() {
        let check = |accept: &str, br: bool, gzip: bool| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
            assert_eq!(Encoding::Brotli.accepted(&h), br, "{accept}");
            assert_eq!(Encoding::Gzip.accepted(&h), gzip, "{accept}");
        };
        check("gzip, deflate, br, zstd", true, true);
        check("gzip", false, true);
        check("br;q=0, gzip;q=0.5", false, true);
        check("*", true, true);
        check("identity", false, false);
        assert!(!Encoding::Gzip.accepted(&HeaderMap::new()));
    }
}
