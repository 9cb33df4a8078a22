//! A small headless-Chromium harness for integration tests (theme, live reload, search).
//!
//! Uses the system's Chromium (Debian's `chromium`, or `$BINDER_CHROMIUM`), never a downloaded
//! one, driven over the DevTools protocol by `headless_chrome`. Every [`Browser`] runs in its own
//! fresh profile directory, which is removed when it is dropped (which also ends the process).
//!
//! ```ignore
//! let Some(browser) = browser::launch() else { return }; // BINDER_SKIP_BROWSER=1
//! let page = browser.open(&url, 390, Scheme::Dark);
//! assert_eq!(page.eval("document.title"), json!("Home"));
//! page.screenshot("target/screenshots/home.png", true);
//! assert!(page.console_errors().is_empty());
//! ```
//!
//! If no Chromium is installed the tests using [`launch`] fail with instructions, unless the
//! environment variable `BINDER_SKIP_BROWSER=1` is set, in which case [`launch`] returns `None`
//! and the test should return early.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Page as CdpPage, Runtime};
use headless_chrome::{LaunchOptions, Tab};
use serde_json::Value;

/// Candidate Chromium binaries, in order; `$BINDER_CHROMIUM` wins over all of them.
const CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
];

/// The colour scheme a page is rendered in (`prefers-color-scheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// True when the environment asks to skip browser tests (`BINDER_SKIP_BROWSER=1`).
pub(crate) fn skip_requested() -> bool {
    std::env::var("BINDER_SKIP_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The Chromium binary to use, if one is installed.
pub(crate) fn chromium_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BINDER_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Launches a headless Chromium, or returns `None` if `BINDER_SKIP_BROWSER=1` is set.
///
/// # Panics
/// If no Chromium is installed (and skipping was not requested), or it fails to start.
pub(crate) fn launch() -> Option<Browser> {
    if skip_requested() {
        eprintln!("BINDER_SKIP_BROWSER is set: skipping a browser test");
        return None;
    }
    let Some(path) = chromium_path() else {
        panic!(
            "browser tests need Chromium, and none was found (looked for $BINDER_CHROMIUM and {}).\n\
             Install it with `apt-get update && apt-get install -y chromium chromium-driver`,\n\
             or set BINDER_SKIP_BROWSER=1 to skip the browser tests.",
            CANDIDATES.join(", ")
        );
    };
    Some(Browser::launch_with(&path))
}

/// A running headless Chromium with its own temporary profile.
pub(crate) struct Browser {
    // Field order matters: the browser (and its process) is dropped before the profile dir.
    inner: headless_chrome::Browser,
    _profile: Profile,
}

/// Chromium's profile folder, removed when the browser is gone. Its helper processes may
/// still write there for a moment after the browser process is killed (a plain `TempDir`
/// then failed to remove it, and every test run left a `binder-chromium-*` folder in the
/// temp dir), so removal is tried a few times.
struct Profile(Option<tempfile::TempDir>);

impl Drop for Profile {
    fn drop(&mut self) {
        let Some(dir) = self.0.take() else { return };
        let path = dir.keep();
        for _ in 0..40 {
            if std::fs::remove_dir_all(&path).is_ok() || !path.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("could not remove Chromium's profile {}", path.display());
    }
}

impl Browser {
    /// Starts Chromium at `path` headless, sandbox and GPU off, no background networking.
    pub(crate) fn launch_with(path: &Path) -> Browser {
        let profile = tempfile::Builder::new()
            .prefix("binder-chromium-")
            .tempdir()
            .expect("create a temporary Chromium profile directory");
        let args: Vec<&OsStr> = [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-domain-reliability",
            "--allow-file-access-from-files",
            "--font-render-hinting=none",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(path.to_path_buf()))
            .headless(true)
            .sandbox(false)
            .enable_gpu(false)
            .window_size(Some((1280, 900)))
            .user_data_dir(Some(profile.path().to_path_buf()))
            .idle_browser_timeout(Duration::from_secs(600))
            .args(args)
            .build()
            .expect("valid Chromium launch options");
        let inner = headless_chrome::Browser::new(options)
            .unwrap_or_else(|e| panic!("could not start Chromium at {}: {e:#}", path.display()));
        Browser {
            inner,
            _profile: Profile(Some(profile)),
        }
    }

    /// Opens `url` (http://127.0.0.1:…/ or file://…) in a new tab with a viewport `width` CSS
    /// pixels wide (900 high, 844 below 600 px) in the given colour scheme, and waits until it
    /// has loaded.
    pub(crate) fn open(&self, url: &str, width: u32, scheme: Scheme) -> Page {
        let page = self.new_page(width, scheme);
        page.goto(url);
        page
    }

    /// A new blank tab with the viewport and colour scheme set, collecting console errors.
    pub(crate) fn new_page(&self, width: u32, scheme: Scheme) -> Page {
        let tab = self.inner.new_tab().expect("open a new Chromium tab");
        tab.set_default_timeout(Duration::from_secs(20));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&errors);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Some(message) = error_message(event) {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(message);
            }
        }))
        .expect("listen to Chromium events");
        tab.enable_runtime().expect("enable the Runtime domain");
        tab.enable_log().expect("enable the Log domain");
        let height = if width < 600 { 844 } else { 900 };
        let page = Page {
            tab,
            errors,
            width,
            height,
        };
        page.set_viewport(width, height);
        page.set_scheme(scheme);
        page
    }
}

/// Turns console errors, uncaught exceptions and browser error log entries into text.
fn error_message(event: &Event) -> Option<String> {
    match event {
        Event::RuntimeConsoleAPICalled(e) => {
            let kind = format!("{:?}", e.params.Type);
            if kind != "Error" && kind != "Assert" {
                return None;
            }
            let text: Vec<String> = e
                .params
                .args
                .iter()
                .map(|a| match (&a.value, &a.description) {
                    (Some(Value::String(s)), _) => s.clone(),
                    (Some(v), _) => v.to_string(),
                    (None, Some(d)) => d.clone(),
                    (None, None) => format!("{:?}", a.Type),
                })
                .collect();
            Some(format!(
                "console.{}: {}",
                kind.to_lowercase(),
                text.join(" ")
            ))
        }
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            Some(format!(
                "uncaught exception at {}:{}:{}: {what}",
                d.url.as_deref().unwrap_or("?"),
                d.line_number + 1,
                d.column_number + 1
            ))
        }
        Event::LogEntryAdded(e) => {
            let entry = &e.params.entry;
            if format!("{:?}", entry.level) != "Error" {
                return None;
            }
            Some(match &entry.url {
                Some(url) => format!("{} ({url})", entry.text),
                None => entry.text.clone(),
            })
        }
        _ => None,
    }
}

/// One browser tab.
pub(crate) struct Page {
    tab: Arc<Tab>,
    errors: Arc<Mutex<Vec<String>>>,
    width: u32,
    height: u32,
}

impl Page {
    /// The underlying `headless_chrome` tab, for anything this harness does not wrap.
    pub(crate) fn tab(&self) -> &Arc<Tab> {
        &self.tab
    }

    /// Navigates to `url` and waits for the load event (and a moment for late errors).
    pub(crate) fn goto(&self, url: &str) {
        self.tab
            .navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("could not load {url}: {e:#}"));
        self.wait_for(
            "document.readyState === 'complete'",
            Duration::from_secs(20),
        );
        thread::sleep(Duration::from_millis(100));
    }

    /// Sets the viewport size in CSS pixels (device scale factor 1; "mobile" below 768 px).
    pub(crate) fn set_viewport(&self, width: u32, height: u32) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height,
                device_scale_factor: 1.0,
                mobile: width < 768,
                scale: None,
                screen_width: Some(width),
                screen_height: Some(height),
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("set the viewport size");
    }

    /// Emulates `prefers-color-scheme: light|dark`.
    pub(crate) fn set_scheme(&self, scheme: Scheme) {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: None,
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".into(),
                    value: scheme.as_str().into(),
                }]),
            })
            .expect("emulate prefers-color-scheme");
    }

    /// Emulates a media type (`"print"`, `"screen"`, or `""` to reset) keeping the colour scheme.
    pub(crate) fn set_media(&self, media: &str, scheme: Scheme) {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some(media.into()),
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".into(),
                    value: scheme.as_str().into(),
                }]),
            })
            .expect("emulate a media type");
    }

    /// Evaluates a JavaScript expression (a promise is awaited) and returns its value as JSON
    /// (`undefined` becomes `null`).
    ///
    /// # Panics
    /// If the expression throws.
    pub(crate) fn eval(&self, expression: &str) -> Value {
        self.try_eval(expression)
            .unwrap_or_else(|e| panic!("JavaScript failed: {e}\n  expression: {expression}"))
    }

    /// Like [`Page::eval`], but returns a thrown exception as `Err`.
    pub(crate) fn try_eval(&self, expression: &str) -> Result<Value, String> {
        let wrapped = format!(
            "(async () => {{ const v = await ({expression}\n); return JSON.stringify(v === undefined ? null : v); }})()"
        );
        let result = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: wrapped,
                return_by_value: Some(true),
                generate_preview: None,
                silent: Some(true),
                await_promise: Some(true),
                include_command_line_api: None,
                user_gesture: None,
                object_group: None,
                context_id: None,
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: None,
                unique_context_id: None,
                serialization_options: None,
            })
            .map_err(|e| format!("{e:#}"))?;
        if let Some(details) = result.exception_details {
            let what = details
                .exception
                .and_then(|x| x.description)
                .unwrap_or(details.text);
            return Err(what);
        }
        match result.result.value {
            Some(Value::String(json)) => serde_json::from_str(&json).map_err(|e| e.to_string()),
            other => Err(format!("unexpected evaluation result: {other:?}")),
        }
    }

    /// Polls a JavaScript condition until it is truthy; returns false after `timeout`.
    pub(crate) fn wait_for(&self, condition: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        loop {
            if let Ok(v) = self.try_eval(&format!("!!({condition})")) {
                if v == Value::Bool(true) {
                    return true;
                }
            }
            if start.elapsed() >= timeout {
                return false;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Console errors, uncaught exceptions and failed loads seen so far.
    pub(crate) fn console_errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets the errors seen so far.
    pub(crate) fn clear_console_errors(&self) {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Saves a PNG screenshot to `path` (parent folders are created): the viewport, or with
    /// `full_page` the whole document (up to 16 000 px high).
    pub(crate) fn screenshot(&self, path: impl AsRef<Path>, full_page: bool) {
        let path = path.as_ref();
        if full_page {
            let height = self
                .eval("Math.ceil(document.documentElement.scrollHeight)")
                .as_u64()
                .unwrap_or(u64::from(self.height));
            let height = u32::try_from(height)
                .unwrap_or(16_000)
                .clamp(self.height, 16_000);
            self.set_viewport(self.width, height);
            thread::sleep(Duration::from_millis(100));
        }
        let png = self.tab.capture_screenshot(
            CdpPage::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        );
        if full_page {
            self.set_viewport(self.width, self.height);
        }
        let png = png.unwrap_or_else(|e| panic!("screenshot failed: {e:#}"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create the screenshot folder");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
    }

    /// Renders the page as PDF with print styles (A4, backgrounds off).
    pub(crate) fn pdf(&self) -> Vec<u8> {
        self.tab.print_to_pdf(None).expect("print to PDF")
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

/// A `file://` URL for a path on disk (which must exist).
pub(crate) fn file_url(path: &Path) -> String {
    let abs = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    if path.is_dir() && !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// A tiny static file server on 127.0.0.1 for a built site (GET/HEAD only, one thread per
/// connection, `dir/` serves `dir/index.html`, unknown paths get the site's 404.html).
/// [`StaticServer::start_at`] mounts the site below a path, as on a host where `base_url`
/// has one (`https://example.org/handbook/`). It stops when dropped.
pub(crate) struct StaticServer {
    addr: std::net::SocketAddr,
    prefix: String,
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` at `http://127.0.0.1:PORT/`.
    pub(crate) fn start(root: &Path) -> StaticServer {
        StaticServer::start_at(root, "")
    }

    /// Serves `root` at `http://127.0.0.1:PORT/<prefix>` (e.g. `"handbook/"`).
    pub(crate) fn start_at(root: &Path, prefix: &str) -> StaticServer {
        let prefix = format!("/{}", prefix.trim_matches('/'));
        let prefix = if prefix == "/" { String::new() } else { prefix };
        let mount = prefix.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let root = root.to_path_buf();
        let handle = thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        let mount = mount.clone();
                        thread::spawn(move || serve_one(stream, &root, &mount));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(10));
                    }
                    Err(_) => break,
                }
            }
        });
        StaticServer {
            addr,
            prefix,
            stop,
            handle: Some(handle),
        }
    }

    /// The URL of `path` below the served site (`""` for its home page).
    pub(crate) fn url(&self, path: &str) -> String {
        format!(
            "http://{}{}/{}",
            self.addr,
            self.prefix,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve_one(stream: TcpStream, root: &Path, mount: &str) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let below = if mount.is_empty() {
        Some(decoded.as_str())
    } else {
        decoded
            .strip_prefix(mount)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let mut status = "200 OK";
    let mut file = None;
    if let Some(decoded) = below.filter(|d| !d.split('/').any(|seg| seg == "..")) {
        let mut p = root.join(decoded.trim_start_matches('/'));
        if p.is_dir() && !path.ends_with('/') {
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {path}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            return;
        }
        if p.is_dir() {
            p = p.join("index.html");
        }
        if p.is_file() {
            file = Some(p);
        }
    }
    if file.is_none() {
        status = "404 Not Found";
        let p = root.join("404.html");
        file = p.is_file().then_some(p);
    }
    let body = file
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .unwrap_or_default();
    let mime = file.as_deref().map_or("text/plain", mime_type);
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(OsStr::to_str).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The harness itself: viewport, colour scheme, JSON evaluation, error capture, screenshots,
/// file:// and the loopback server.
#[test]
fn harness_smoke() {
    let Some(browser) = launch() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><html><head><title>t</title><meta name=viewport content=\"width=device-width\"><style>body{color:#000}\
         @media (prefers-color-scheme: dark){body{color:#fff}}</style></head>\
         <body><p id=x>hi</p><script>console.error('boom', 42)</script></body></html>",
    )
    .expect("write fixture");
    let url = file_url(&dir.path().join("index.html"));
    let page = browser.open(&url, 390, Scheme::Dark);
    assert_eq!(page.eval("window.innerWidth"), Value::from(390));
    assert_eq!(
        page.eval("getComputedStyle(document.body).color"),
        Value::from("rgb(255, 255, 255)")
    );
    assert_eq!(
        page.eval("({a: [1, document.title]})"),
        serde_json::json!({"a": [1, "t"]})
    );
    assert_eq!(page.eval("Promise.resolve(7)"), Value::from(7));
    assert!(page.try_eval("nope.nope").is_err());
    let errors = page.console_errors();
    assert!(errors.iter().any(|e| e.contains("boom 42")), "{errors:?}");
    page.set_scheme(Scheme::Light);
    assert_eq!(
        page.eval("getComputedStyle(document.body).color"),
        Value::from("rgb(0, 0, 0)")
    );
    let shot = dir.path().join("shot.png");
    page.screenshot(&shot, true);
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let server = StaticServer::start(dir.path());
    let page = browser.open(&server.url("/"), 1280, Scheme::Light);
    assert_eq!(
        page.eval("document.getElementById('x').textContent"),
        Value::from("hi")
    );
    assert_eq!(page.eval("window.innerWidth"), Value::from(1280));
    std::fs::write(
        dir.path().join("broken.html"),
        "<!doctype html><title>b</title><link rel=stylesheet href=missing.css><p>b",
    )
    .expect("write fixture");
    page.goto(&server.url("/broken.html"));
    let missing = page.console_errors();
    assert!(missing.iter().any(|e| e.contains("404")), "{missing:?}");
}
