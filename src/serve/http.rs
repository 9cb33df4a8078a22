//! The HTTP side of `serve` (axum): the built site from memory, the live-reload event stream
//! and the injected client script.
//!
//! Only files the build produced can be served: a request path is percent-decoded, checked
//! (no `..`, `.`, backslash or NUL), and looked up in [`SiteFiles`]. Nothing is ever read from
//! disk, so no path trick and no symlink can reach a file outside the output. HTML pages get
//! the live-reload script before `</body>`, naming the build generation the page belongs to;
//! every response carries an ETag, and `If-None-Match` gets `304 Not Modified`. Missing paths
//! get the site's `404.html` with status 404; a folder without its trailing slash is
//! redirected to it. `/_health/` is the health report ([`crate::health::live`]), served from
//! memory like the rest but never a file of the build; a stale article gets its notice at
//! the top of `<main>` as it is sent. The `Host` check and the timeouts sit in front of all of it
//! ([`super::conn`]).

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};

use super::files::{SiteFiles, Stale, View};
use super::hub::{Hub, Signal};
use super::overlay;
use crate::health::live::{self as health, Health};

/// The client script, injected into served HTML pages.
const RELOAD_JS: &str = include_str!("reload.js");
/// URL prefix of the server's own endpoints (no site output lives there).
const PREFIX: &str = "/__binder/";

/// What every request handler can reach.
pub struct App {
    /// The current build.
    pub files: Arc<SiteFiles>,
    /// Build status and live-reload signals.
    pub hub: Arc<Hub>,
    /// The health report and the stale articles' notices.
    pub health: Arc<Health>,
    /// Flips to `true` on Ctrl-C: event streams end so the server can stop.
    pub shutdown: watch::Receiver<bool>,
    /// How often the event stream sends a comment (within the idle timeout).
    pub keep_alive: Duration,
}

/// The router: the event stream, the server's own files, and the site for everything else.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__binder/events", get(events))
        .route("/__binder/reload.js", get(reload_js))
        .route("/__binder/status", get(status))
        .route(health::URL, get(health_page))
        .route(
            health::URL.trim_end_matches('/'),
            get(|uri: Uri| async move { to_folder(&uri) }),
        )
        // `get` answers HEAD without the body (keeping Content-Length) and adds
        // `Allow: GET,HEAD` to the 405 for any other method.
        .fallback(get(site_file).fallback(|| async {
            plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "only GET and HEAD are served\n",
            )
        }))
        .with_state(app)
}

enum Item {
    Send(Event),
    Close,
}

/// What a page says about itself when it opens the event stream.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Loaded {
    /// The file it was served from (empty for stand-ins such as the 404 page).
    #[serde(default)]
    path: String,
    /// The build generation it was served at (absent: an old script, never stale).
    build: Option<u64>,
    /// The server run that served it.
    instance: Option<String>,
}

/// `GET /__binder/events?path=…&build=…`: `hello` with the server's instance id (a new id
/// tells the page the server restarted) and the current build generation; `reload` (or
/// `css`) at once if the page missed a rebuild that concerns it (it reconnected, or a
/// rebuild finished while it was loading); the current error if the build is broken; then
/// every signal.
async fn events(
    State(app): State<Arc<App>>,
    Query(loaded): Query<Loaded>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before looking: a rebuild published after the look is then signalled.
    let updates = BroadcastStream::new(app.hub.subscribe()).map(|r| match r {
        Ok(signal) => Item::Send(signal.event()),
        // This client fell behind (a burst of rebuilds): a full reload catches it up.
        Err(_) => Item::Send(Signal::Reload(None).event()),
    });
    let (build, stale) = {
        let view = app.files.view();
        let restarted = loaded
            .instance
            .as_deref()
            .is_some_and(|i| i != app.hub.instance());
        let stale = match loaded.build {
            _ if restarted => Stale::Reload,
            Some(b) => view.stale(&loaded.path, b),
            None => Stale::No,
        };
        (view.generation(), stale)
    };
    let hello = serde_json::json!({ "instance": app.hub.instance(), "build": build });
    let mut first = vec![Item::Send(
        Event::default()
            .event("hello")
            .data(hello.to_string())
            .retry(Duration::from_millis(500)),
    )];
    match stale {
        Stale::Reload => first.push(Item::Send(Signal::Reload(None).event())),
        Stale::Css => first.push(Item::Send(Signal::Css(Vec::new()).event())),
        Stale::No => {}
    }
    if let Some(json) = app.hub.error_json() {
        first.push(Item::Send(Event::default().event("error").data(json)));
    }
    first.push(Item::Send(
        Signal::Health(app.health.summary().json()).event(),
    ));
    let closing = WatchStream::from_changes(app.shutdown.clone()).map(|_| Item::Close);
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .merge(closing)
        .take_while(|i| !matches!(i, Item::Close))
        .filter_map(|i| match i {
            Item::Send(e) => Some(Ok(e)),
            Item::Close => None,
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(app.keep_alive))
}

async fn reload_js() -> Response {
    let mut r = Response::new(Body::from(RELOAD_JS));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// `GET /__binder/status`: build count, state and last timings (tests and benchmarks).
async fn status(State(app): State<Arc<App>>) -> Response {
    let mut r = Response::new(Body::from(app.hub.status_json()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /_health/`: the health report, as of the latest rebuild. Served as a stand-in (no
/// file of the build), so its script reloads it after any rebuild.
async fn health_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let build = app.files.generation();
    let reply = match app.health.page() {
        Some((bytes, hash)) => Reply {
            status: StatusCode::OK,
            key: "",
            bytes,
            hash: Some(hash),
            build,
        },
        None => Reply {
            status: StatusCode::SERVICE_UNAVAILABLE,
            key: "",
            bytes: health::pending().into(),
            hash: None,
            build,
        },
    };
    respond(&app, reply, &headers)
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not valid percent-encoding or not UTF-8.
    BadRequest,
    /// `..`, `.`, a backslash or NUL: an attempt to leave the site.
    Forbidden,
}

/// Decodes a request path into a key of [`SiteFiles`] (`tips/ask/` → `tips/ask/index.html`).
pub fn file_key(path: &str) -> Result<String, Refused> {
    let decoded = percent_decode(path).ok_or(Refused::BadRequest)?;
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(Refused::Forbidden);
    }
    let key = decoded.trim_start_matches('/');
    Ok(if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_owned()
    })
}

/// `s` percent-decoded; `None` if an escape is not `%` and two hex digits or the result is
/// not UTF-8. `+` stays `+`: only HTML forms encode a space so.
fn percent_decode(s: &str) -> Option<String> {
    // percent-encoding keeps a malformed escape as written; a request path with one is refused.
    let well_formed = s.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// Every other path: a file of the site.
async fn site_file(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap) -> Response {
    if uri.path().starts_with(PREFIX) {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    let key = match file_key(uri.path()) {
        Ok(k) => k,
        Err(Refused::BadRequest) => return plain(StatusCode::BAD_REQUEST, "bad request path\n"),
        Err(Refused::Forbidden) => return plain(StatusCode::FORBIDDEN, "forbidden\n"),
    };
    // One view for the whole answer: the page and its generation belong together.
    let view = app.files.view();
    match lookup(&view, &key) {
        Found::File(reply) => respond(&app, reply, &headers),
        Found::Folder => to_folder(&uri),
        Found::Nothing => plain(StatusCode::NOT_FOUND, "not found\n"),
        Found::NotBuilt => {
            drop(view);
            // No good build yet (the first one failed): a page that shows the errors and
            // reloads once the site builds.
            let page = overlay::error_page(&app.hub.error_diagnostics());
            let reply = Reply {
                status: StatusCode::SERVICE_UNAVAILABLE,
                key: "",
                bytes: page.into(),
                hash: None,
                build: 0,
            };
            respond(&app, reply, &headers)
        }
    }
}

enum Found<'a> {
    File(Reply<'a>),
    /// A folder asked for without its trailing slash.
    Folder,
    Nothing,
    /// No build has succeeded yet.
    NotBuilt,
}

/// What `key` names in the build `view` shows.
fn lookup<'a>(view: &View<'_>, key: &'a str) -> Found<'a> {
    if view.generation() == 0 {
        return Found::NotBuilt;
    }
    let build = view.generation();
    if let Some(entry) = view.get(key) {
        return Found::File(Reply {
            status: StatusCode::OK,
            key,
            bytes: entry.bytes.clone(),
            hash: Some(entry.hash),
            build,
        });
    }
    if !key.ends_with("index.html") && view.contains(&format!("{key}/index.html")) {
        return Found::Folder;
    }
    match view.get("404.html") {
        Some(entry) => Found::File(Reply {
            status: StatusCode::NOT_FOUND,
            key: "",
            bytes: entry.bytes.clone(),
            hash: None,
            build,
        }),
        None => Found::Nothing,
    }
}

/// `/tips/ask` → `/tips/ask/` (the query kept): relative links in the page need the slash.
fn to_folder(uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(q) => format!("{}/?{q}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    let mut r = plain(StatusCode::TEMPORARY_REDIRECT, "");
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// What a file response sends.
struct Reply<'a> {
    status: StatusCode,
    /// The file served; empty for stand-ins (the 404 page, the error page), whose script
    /// then reloads on any change.
    key: &'a str,
    bytes: Bytes,
    /// The file's content hash, for its ETag (files served under their own path only).
    hash: Option<u64>,
    /// The build generation served.
    build: u64,
}

/// A file response: content type, ETag (answering the request's `If-None-Match` with 304),
/// the live-reload script in HTML.
fn respond(app: &App, reply: Reply<'_>, request: &HeaderMap) -> Response {
    let mime = mime_type(if reply.key.is_empty() {
        "404.html"
    } else {
        reply.key
    });
    let html = mime.starts_with("text/html");
    // HTML is served with the script, which names the instance and the generation: its ETag
    // does too (a cached copy would tell the page it is older than it is).
    // A stale article's notice is part of the page as sent.
    let notice = (html && !reply.key.is_empty())
        .then(|| app.health.notice(reply.key))
        .flatten();
    let etag = reply.hash.map(|h| {
        if html {
            let n = notice
                .as_deref()
                .map_or(0, |n| xxhash_rust::xxh3::xxh3_64(n.as_bytes()));
            format!("\"{h:016x}-{n:x}-{}-{}\"", app.hub.instance(), reply.build)
        } else {
            format!("\"{h:016x}\"")
        }
    });
    if let Some(tag) = &etag {
        if none_match(request, tag) {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            set_common(&mut r, &mime, Some(tag));
            return r;
        }
    }
    let body = if html {
        let page = match &notice {
            Some(n) => {
                std::borrow::Cow::Owned(crate::health::notice::insert_notice(&reply.bytes, n))
            }
            None => std::borrow::Cow::Borrowed(&reply.bytes[..]),
        };
        Bytes::from(inject(&page, reply.key, reply.build, app.hub.instance()))
    } else {
        reply.bytes
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = reply.status;
    set_common(&mut r, &mime, etag.as_deref());
    r
}

fn set_common(r: &mut Response, mime: &str, etag: Option<&str>) {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // Always revalidate: the site changes under the author's hands.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(v) = etag.and_then(|t| HeaderValue::from_str(t).ok()) {
        h.insert(header::ETAG, v);
    }
}

/// True if `If-None-Match` lists `etag` (or `*`); weak validators compare equal too.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = (status, text).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `html` with the live-reload script before the last `</body>` (or at the end). `key` is
/// the file served (empty for the 404 page), so the script knows which edits concern it;
/// `build` the generation served, so it can tell the server which rebuilds it has seen.
pub fn inject(html: &[u8], key: &str, build: u64, instance: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{PREFIX}reload.js\" data-path=\"{}\" data-build=\"{build}\" data-instance=\"{}\"></script>",
        overlay::escape(key),
        overlay::escape(instance)
    );
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Content type by extension (mime_guess's table); text types are sent as UTF-8, which is
/// what binder writes and what a site's static text files are taken to be.
pub fn mime_type(path: &str) -> Cow<'static, str> {
    match mime_guess::from_path(path).first_raw() {
        Some(t) if t.starts_with("text/") => Cow::Owned(format!("{t}; charset=utf-8")),
        Some(t) => Cow::Borrowed(t),
        None => Cow::Borrowed("application/octet-stream"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files() {
        assert_eq!(file_key("/"), Ok("index.html".into()));
        assert_eq!(file_key("/tips/ask/"), Ok("tips/ask/index.html".into()));
        assert_eq!(file_key("/style.css"), Ok("style.css".into()));
        assert_eq!(file_key("/caf%C3%A9/"), Ok("café/index.html".into()));
    }

    #[test]
    fn traversal_is_refused() {
        for p in [
            "/../site.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fsite.toml",
            "/a/%2E%2E/b",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/./x",
        ] {
            assert_eq!(file_key(p), Err(Refused::Forbidden), "{p}");
        }
        assert_eq!(file_key("/%zz"), Err(Refused::BadRequest));
        assert_eq!(file_key("/%ff"), Err(Refused::BadRequest));
        // Double encoding decodes once: a literal `%2e%2e` name, simply not found.
        assert_eq!(file_key("/%252e%252e/x"), Ok("%2e%2e/x".into()));
    }

    #[test]
    fn percent_decoding_refuses_malformed_escapes() {
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%%41"), None);
        assert_eq!(percent_decode("/100%"), None);
        assert_eq!(percent_decode("/%FF"), None, "not UTF-8");
        assert_eq!(percent_decode("/%E6%97%A5").as_deref(), Some("/日"));
        assert_eq!(percent_decode("/a+b%20c").as_deref(), Some("/a+b c"));
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></BODY></html>",
            "a/index.html",
            7,
            "i1",
        ))
        .expect("utf8");
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__binder/reload.js\" data-path=\"a/index.html\" data-build=\"7\" data-instance=\"i1\"></script></BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>fragment", "", 1, "i1")).expect("utf8");
        assert!(out.ends_with(
            "<p>fragment<script src=\"/__binder/reload.js\" data-path=\"\" data-build=\"1\" data-instance=\"i1\"></script>"
        ));
    }

    #[test]
    fn mime_types_by_extension() {
        assert_eq!(mime_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(mime_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(mime_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime_type("tips/chart.svg"), "image/svg+xml");
        assert_eq!(mime_type("fonts/x.woff2"), "font/woff2");
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(none_match(&h, "\"b\""));
        assert!(!none_match(&h, "\"c\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(none_match(&h, "\"c\""));
    }
}
