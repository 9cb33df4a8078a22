//! `binder serve`: incremental rebuilds equal full builds, and the real server (the binary,
//! over HTTP on an ephemeral loopback port) serves pages, refuses traversal, pushes live
//! reload and error events, folds editor saves into one rebuild and stops on Ctrl-C.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binder::BuildOptions;
use binder::serve::files::SiteFiles;
use binder::serve::incremental::Engine;
use binder::serve::watch::Batch;

use crate::support::Site;

// --- fixture ---------------------------------------------------------------------------

/// A small site using every cross-page feature: sections with pagination, series, a pair,
/// backlinks, wikilinks (whose text is the target's title), concepts with a glossary entry,
/// authors, and an asset next to an article.
fn rich_site() -> Site {
    let s = Site::new();
    s.write("content/tips/_index.md", "---\ntitle: Tips\npaginate_by: 2\n---\nShort tips. See [[Ask for clarity]].\n");
    s.write("content/principles/_index.md", "---\ntitle: Principles\n---\nWhat we believe.\n");
    s.write("content/pair-blog/_index.md", "---\ntitle: Pair blog\n---\n");
    s.article(
        "tips/ask.md",
        "title: Ask for clarity\ndate: 2024-01-05\nconcepts: [trust, questions]\nauthors: [Ada]",
        "First paragraph about asking.\n\nSee [[listen]] and [the trust principle](../principles/trust.md).\n\n![chart](chart.svg)",
    );
    s.write("content/tips/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    s.article("tips/listen.md", "title: Listen well\ndate: 2024-02-01\nconcepts: [listening, trust]\nauthors: [Bo]", "Listening matters.\n\nBack to [[Ask for clarity]].");
    s.article("tips/close.md", "title: Close with a step\ndate: 2024-03-01\nconcepts: [questions]", "End with one next step.");
    s.article("tips/open.md", "title: Open well\ndate: 2023-12-01\nconcepts: [listening]", "Start with a question.");
    s.article("principles/trust.md", "title: Trust first\ndate: 2023-01-01\nconcepts: [trust]\nseries: foundations\nseries_order: 1", "Trust comes first.");
    s.article("principles/curiosity.md", "title: Curiosity\ndate: 2023-02-01\nconcepts: [questions]\nseries: foundations\nseries_order: 2", "Stay curious. Compare [[Trust first]].");
    s.article("pair-blog/a.md", "title: Pair A\ndate: 2024-04-01\nconcepts: [trust]\npair: b.md", "A's view. See [the other view](b.md).");
    s.article("pair-blog/b.md", "title: Pair B\ndate: 2024-04-01\nconcepts: [trust]\npair: a.md", "B's view. See [the other view](a.md).");
    s.write("content/concepts/trust.md", "---\ntitle: Trust\ndescription: Confidence in each other.\n---\nTrust is **earned**.\n");
    s
}

fn options(site: &Site) -> BuildOptions {
    BuildOptions { root: site.root().canonicalize().expect("canonical root"), ..Default::default() }
}

/// A full build in memory, as `binder build` would write it (later writes win).
fn full_build(opts: &BuildOptions) -> BTreeMap<String, Vec<u8>> {
    let mut timings = binder::site::Timings::default();
    let site = binder::site::load_site(opts, &mut timings).unwrap_or_else(|e| panic!("full build failed:\n{}", crate::support::render(&e.diagnostics)));
    let hl = Arc::new(binder::build::highlighter(&site).expect("highlighter"));
    let sink = binder::write::MemorySink::default();
    binder::build::render_site(&site, hl, &sink, &mut timings).unwrap_or_else(|e| panic!("full build failed:\n{}", crate::support::render(&e.diagnostics)));
    sink.files.into_inner().expect("sink").into_iter().collect()
}

/// Asserts the engine serves exactly what a full build writes, naming the first difference.
fn assert_same(engine: &Engine, opts: &BuildOptions, step: &str) {
    let served = engine.files().snapshot();
    let full = full_build(opts);
    let only_served: Vec<&String> = served.keys().filter(|k| !full.contains_key(*k)).collect();
    let only_full: Vec<&String> = full.keys().filter(|k| !served.contains_key(*k)).collect();
    assert!(only_served.is_empty() && only_full.is_empty(), "{step}: files only served: {only_served:?}; only in the full build: {only_full:?}");
    for (path, bytes) in &full {
        if served[path] != *bytes {
            let (a, b) = (String::from_utf8_lossy(&served[path]), String::from_utf8_lossy(bytes));
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            let from = at.saturating_sub(120);
            panic!("{step}: {path} differs at byte {at}\n  served: …{}…\n  full:   …{}…", &a[from..(at + 120).min(a.len())], &b[from..(at + 120).min(b.len())]);
        }
    }
}

/// Runs one rebuild for `paths` (relative to the site root) plus the extras.
fn apply(engine: &mut Engine, root: &Path, paths: &[&str]) -> binder::serve::incremental::Outcome {
    let mut batch = Batch::default();
    for p in paths {
        let abs = root.join(p);
        if p.starts_with("content/") {
            batch.content.push(abs);
        } else if p.starts_with("static/") || p.contains("/static/") {
            batch.statics.push(abs);
        } else {
            batch.full = true;
        }
    }
    let outcome = engine.rebuild(&batch).unwrap_or_else(|e| panic!("rebuild of {paths:?} failed:\n{}", crate::support::render(&e.diagnostics)));
    engine.finish().unwrap_or_else(|e| panic!("extras after {paths:?} failed:\n{}", crate::support::render(&e.diagnostics)));
    outcome
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

// --- incremental = full ----------------------------------------------------------------

#[test]
fn incremental_rebuilds_equal_a_full_build_after_every_kind_of_edit() {
    let s = rich_site();
    let opts = options(&s);
    let root = opts.root.clone();
    let mut engine = Engine::new(opts.clone(), Arc::new(SiteFiles::default()));
    let first = apply(&mut engine, &root, &["site.toml"]);
    assert!(first.full);
    assert_same(&engine, &opts, "first build");

    // A body edit that leaves the list entry alone re-renders the page and nothing else.
    edit(&root, "content/tips/close.md", "End with one next step.", "End with one next step.\n\nA second paragraph.");
    let o = apply(&mut engine, &root, &["content/tips/close.md"]);
    assert!(o.patched, "a body edit takes the fast path");
    assert_eq!(o.parsed, 1);
    assert!(o.changed.contains(&"tips/close/index.html".to_owned()), "{:?}", o.changed);
    assert!(!o.changed.contains(&"tips/index.html".to_owned()), "the listing should not change: {:?}", o.changed);
    assert_same(&engine, &opts, "body edit");

    // The sentence around a link is the backlink excerpt on the linked page.
    edit(&root, "content/tips/ask.md", "See [[listen]] and", "Do see [[listen]], and");
    let o = apply(&mut engine, &root, &["content/tips/ask.md"]);
    assert!(o.patched);
    assert!(o.changed.contains(&"tips/listen/index.html".to_owned()), "{:?}", o.changed);
    assert_same(&engine, &opts, "backlink excerpt");

    // A new heading (an anchor other pages may link to) takes the full path.
    edit(&root, "content/tips/close.md", "A second paragraph.", "## Wrapping up\n\nA second paragraph.");
    let o = apply(&mut engine, &root, &["content/tips/close.md"]);
    assert!(!o.patched);
    assert_same(&engine, &opts, "new heading");

    let steps: &[(&str, &str, &str, &str)] = &[
        ("title change (wikilink text, backlinks, listings)", "content/tips/listen.md", "title: Listen well", "title: Listen very well"),
        ("summary change", "content/tips/ask.md", "First paragraph about asking.", "A new first paragraph."),
        ("concept change", "content/tips/close.md", "concepts: [questions]", "concepts: [questions, closing]"),
        ("date change (listing order)", "content/tips/open.md", "date: 2023-12-01", "date: 2025-12-01"),
        ("section index", "content/tips/_index.md", "title: Tips", "title: Practical tips"),
        ("glossary entry", "content/concepts/trust.md", "Trust is **earned**.", "Trust is *slowly* earned."),
        ("new link (backlinks)", "content/tips/open.md", "Start with a question.", "Start with a question, as in [[Close with a step]]."),
    ];
    for (what, rel, from, to) in steps {
        edit(&root, rel, from, to);
        apply(&mut engine, &root, &[rel]);
        assert_same(&engine, &opts, what);
    }

    // Two files in one batch: the series parts swap places.
    edit(&root, "content/principles/curiosity.md", "series_order: 2", "series_order: 1");
    edit(&root, "content/principles/trust.md", "series_order: 1", "series_order: 2");
    apply(&mut engine, &root, &["content/principles/curiosity.md", "content/principles/trust.md"]);
    assert_same(&engine, &opts, "series order");

    s.article("tips/new.md", "title: Brand new\ndate: 2024-05-01\nconcepts: [trust]", "Links to [[Ask for clarity]].");
    apply(&mut engine, &root, &["content/tips/new.md"]);
    assert_same(&engine, &opts, "new article");

    std::fs::remove_file(root.join("content/tips/new.md")).expect("delete");
    let o = apply(&mut engine, &root, &["content/tips/new.md"]);
    assert!(o.changed.contains(&"tips/new/index.html".to_owned()));
    assert_same(&engine, &opts, "deleted article");

    std::fs::rename(root.join("content/tips/close.md"), root.join("content/tips/finish.md")).expect("rename");
    edit(&root, "content/tips/open.md", "[[Close with a step]]", "[[Close with a step]] (renamed)");
    apply(&mut engine, &root, &["content/tips/close.md", "content/tips/finish.md", "content/tips/open.md"]);
    assert!(!engine.files().contains("tips/close/index.html"));
    assert_same(&engine, &opts, "renamed article");

    s.write("content/tips/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>");
    apply(&mut engine, &root, &["content/tips/chart.svg"]);
    assert_same(&engine, &opts, "asset edit");

    s.write("static/extra.css", "body { color: red }");
    let o = apply(&mut engine, &root, &["static/extra.css"]);
    assert_eq!(o.changed, vec!["extra.css".to_owned()]);
    assert_same(&engine, &opts, "static file");

    s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<main><h1>{{ page.title }}</h1>{{ page.content | safe }}</main>{% endblock %}");
    let o = apply(&mut engine, &root, &["templates/page.html"]);
    assert!(o.full);
    assert_same(&engine, &opts, "template change");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_files_and_the_next_one_catches_up() {
    let s = rich_site();
    let opts = options(&s);
    let root = opts.root.clone();
    let mut engine = Engine::new(opts.clone(), Arc::new(SiteFiles::default()));
    apply(&mut engine, &root, &["site.toml"]);
    let before = engine.files().snapshot();

    // Deleting an article others link to: its links become errors, nothing served changes.
    let listen = std::fs::read_to_string(root.join("content/tips/listen.md")).expect("read");
    std::fs::remove_file(root.join("content/tips/listen.md")).expect("delete");
    let err = engine.rebuild(&Batch { content: vec![root.join("content/tips/listen.md")], ..Batch::default() }).expect_err("broken links");
    let shown = crate::support::render(&err.diagnostics);
    assert!(shown.contains("content/tips/ask.md:"), "{shown}");
    assert_eq!(engine.files().snapshot(), before);

    // Broken front matter in another file while the first is still missing.
    edit(&root, "content/tips/open.md", "title: Open well", "title: [Open well");
    let err = engine.rebuild(&Batch { content: vec![root.join("content/tips/open.md")], ..Batch::default() }).expect_err("bad yaml");
    assert!(err.errors().any(|d| d.path == "content/tips/open.md" && d.line == 2), "{}", crate::support::render(&err.diagnostics));
    assert_eq!(engine.files().snapshot(), before);

    std::fs::write(root.join("content/tips/listen.md"), listen).expect("restore");
    edit(&root, "content/tips/open.md", "title: [Open well", "title: Open well, fixed");
    apply(&mut engine, &root, &["content/tips/listen.md", "content/tips/open.md"]);
    assert_same(&engine, &opts, "after the fix");
}

#[test]
fn an_unchanged_save_does_nothing() {
    let s = rich_site();
    let opts = options(&s);
    let root = opts.root.clone();
    let mut engine = Engine::new(opts, Arc::new(SiteFiles::default()));
    apply(&mut engine, &root, &["site.toml"]);
    let text = std::fs::read_to_string(root.join("content/tips/ask.md")).expect("read");
    std::fs::write(root.join("content/tips/ask.md"), text).expect("write");
    let o = apply(&mut engine, &root, &["content/tips/ask.md"]);
    assert_eq!((o.parsed, o.rendered, o.changed.len()), (0, 0, 0));
}

// --- the real server -------------------------------------------------------------------

/// `binder serve` running on an ephemeral port, killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_binder"))
            .arg("--root")
            .arg(root)
            .arg("serve")
            .args(if extra.contains(&"--port") { &[][..] } else { &["--port", "0"][..] })
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start binder serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("serving the site at ") {
                    let _ = tx.send(url.split_whitespace().next().unwrap_or("").to_owned());
                }
                sink.lock().expect("log").push_str(&format!("{line}\n"));
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("serve did not start:\n{}", log.lock().expect("log")));
        Server { child, url: url.trim_end_matches('/').to_owned(), log }
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        reqwest::blocking::get(format!("{}{path}", self.url)).expect("GET")
    }

    fn text(&self, path: &str) -> String {
        self.get(path).text().expect("body")
    }

    fn builds(&self) -> u64 {
        let status: serde_json::Value = serde_json::from_str(&self.text("/__binder/status")).expect("status json");
        status["builds"].as_u64().expect("builds")
    }

    /// Polls until `path` contains `needle`.
    fn wait_for_text(&self, path: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let t = self.text(path);
            if t.contains(needle) {
                return t;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "{path} never showed `{needle}`\n{}", self.log.lock().expect("log"));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the build count stops changing for a while, and returns it.
    fn settled_builds(&self) -> u64 {
        let mut last = self.builds();
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = self.builds();
            if now == last {
                return now;
            }
            last = now;
        }
    }

    /// Sends a raw request (clients normalise `..` away; this does not).
    fn raw(&self, request_target: &str) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(stream, "GET {request_target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
        let mut out = String::new();
        stream.read_to_string(&mut out).expect("read");
        out
    }

    /// Opens the event stream; events arrive as (name, data) on the receiver.
    fn events(&self) -> Receiver<(String, String)> {
        let response = reqwest::blocking::Client::builder().timeout(None).build().expect("client").get(format!("{}/__binder/events", self.url)).send().expect("events");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if line.is_empty() && !name.is_empty() {
                    if tx.send((std::mem::take(&mut name), std::mem::take(&mut data))).is_err() {
                        return;
                    }
                }
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event named `name` (others are skipped), within a few seconds.
fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event arrived"),
        }
    }
}

fn server_site() -> (Site, PathBuf) {
    let s = rich_site();
    let root = s.root().canonicalize().expect("root");
    (s, root)
}

#[test]
fn serves_pages_with_types_etags_head_and_404() {
    let (s, _) = server_site();
    let server = Server::start(s.root(), &["--no-watch"]);
    let r = server.get("/tips/ask/");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    let html = r.text().expect("body");
    assert!(html.contains("Ask for clarity"));
    assert!(html.contains("/__binder/reload.js"), "the live-reload script is injected");
    assert_eq!(html.matches("/__binder/reload.js").count(), 1);

    let client = reqwest::blocking::Client::new();
    let again = client.get(format!("{}/tips/ask/", server.url)).header("If-None-Match", &etag).send().expect("GET");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().expect("body").is_empty());

    let head = client.head(format!("{}/style.css", server.url)).send().expect("HEAD");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "text/css; charset=utf-8");
    assert!(head.headers()["content-length"].to_str().expect("len").parse::<usize>().expect("number") > 0);
    assert!(head.bytes().expect("body").is_empty());
    assert_eq!(server.get("/tips/chart.svg").headers()["content-type"], "image/svg+xml");

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status(), 404);
    assert!(missing.text().expect("body").contains("/__binder/reload.js"));

    let no_slash = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client").get(format!("{}/tips/ask", server.url)).send().expect("GET");
    assert_eq!(no_slash.status(), 307);
    assert_eq!(no_slash.headers()["location"], "/tips/ask/");

    // `binder build` output never has the script.
    s.build_ok();
    assert!(!s.read("tips/ask/index.html").contains("__binder"));
}

#[test]
fn traversal_attempts_never_return_files() {
    let (s, _) = server_site();
    s.write("secret.txt", "TOP-SECRET");
    let server = Server::start(s.root(), &["--no-watch"]);
    for target in ["/../site.toml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fsite.toml", "/tips/..%5c..%5csecret.txt", "/tips\\..\\..\\secret.txt", "/%2e%2e/secret.txt", "/content/tips/ask.md", "/secret.txt"] {
        let response = server.raw(target);
        let status = response.split_whitespace().nth(1).unwrap_or("");
        assert!(status == "403" || status == "404" || status == "400", "{target}: {status}");
        assert!(!response.contains("TOP-SECRET") && !response.contains("base_url") && !response.contains("root:"), "{target} leaked a file");
    }
}

#[test]
fn an_edit_pushes_reload_then_serves_the_new_page() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    assert!(!next_event(&events, "hello").is_empty());
    edit(&root, "content/tips/listen.md", "Listening matters.", "Listening matters a lot (edited).");
    let data = next_event(&events, "reload");
    assert!(data.contains("tips/listen/index.html"), "{data}");
    assert!(server.text("/tips/listen/").contains("Listening matters a lot (edited)."));
}

#[test]
fn a_broken_edit_shows_errors_keeps_the_old_page_and_the_fix_clears_them() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    edit(&root, "content/tips/listen.md", "title: Listen well", "title: [Listen well");
    let data = next_event(&events, "error");
    let errors: Vec<serde_json::Value> = serde_json::from_str(&data).expect("json");
    let yaml = errors.iter().find(|e| e["path"] == "content/tips/listen.md").unwrap_or_else(|| panic!("no error in listen.md: {data}"));
    assert_eq!(yaml["line"], 2);
    assert!(yaml["col"].as_u64().is_some_and(|c| c > 0));
    assert!(yaml["source_line"].as_str().is_some_and(|l| l.contains("[Listen well")));
    // The last good build is still served, and a page opened now learns about the error.
    assert!(server.text("/tips/listen/").contains("Listening matters."));
    let late = server.events();
    next_event(&late, "hello");
    assert!(next_event(&late, "error").contains("content/tips/listen.md"));

    edit(&root, "content/tips/listen.md", "title: [Listen well", "title: Listen well again");
    next_event(&events, "ok");
    assert!(next_event(&events, "reload").contains("tips/listen/index.html"));
    server.wait_for_text("/tips/listen/", "Listen well again");
}

#[test]
fn a_deleted_article_disappears_and_links_to_it_become_errors() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    std::fs::remove_file(root.join("content/tips/close.md")).expect("delete");
    let r = next_event(&events, "reload");
    assert!(r.contains("tips/close/index.html"), "{r}");
    assert_eq!(server.get("/tips/close/").status(), 404);
    std::fs::remove_file(root.join("content/tips/listen.md")).expect("delete");
    let data = next_event(&events, "error");
    assert!(data.contains("content/tips/ask.md"), "the link from ask.md is broken: {data}");
    assert_eq!(server.get("/tips/listen/").status(), 200, "the last good build is still served");
}

#[test]
fn editor_saves_cost_one_rebuild_each() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let start = server.settled_builds();
    let dir = root.join("content/tips");

    // Write a temp file, then rename it over the article (JetBrains, many others).
    std::fs::write(dir.join(".listen.md.tmp"), std::fs::read_to_string(dir.join("listen.md")).expect("read").replace("Listening matters.", "Saved atomically.")).expect("write");
    std::fs::rename(dir.join(".listen.md.tmp"), dir.join("listen.md")).expect("rename");
    server.wait_for_text("/tips/listen/", "Saved atomically.");
    assert_eq!(server.settled_builds(), start + 1, "{}", server.log.lock().expect("log"));

    // Vim: probe with 4913, move the file to a backup, write a new one, drop the backup.
    std::fs::write(dir.join("4913"), "").expect("probe");
    std::fs::remove_file(dir.join("4913")).expect("probe");
    std::fs::rename(dir.join("listen.md"), dir.join("listen.md~")).expect("backup");
    let text = std::fs::read_to_string(dir.join("listen.md~")).expect("read").replace("Saved atomically.", "Saved by vim.");
    std::fs::write(dir.join(".listen.md.swp"), "swap").expect("swap");
    std::fs::write(dir.join("listen.md"), text).expect("write");
    std::fs::remove_file(dir.join("listen.md~")).expect("backup");
    std::fs::remove_file(dir.join(".listen.md.swp")).expect("swap");
    server.wait_for_text("/tips/listen/", "Saved by vim.");
    assert_eq!(server.settled_builds(), start + 2, "{}", server.log.lock().expect("log"));
    assert!(!server.log.lock().expect("log").contains("error"), "no save step was seen half-done");
}

#[test]
fn a_css_change_swaps_stylesheets_without_a_reload() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    let css = root.join("themes/default/static/style.css");
    let text = std::fs::read_to_string(&css).expect("read");
    std::fs::write(&css, format!("{text}\n.binder-test {{ color: red }}\n")).expect("write");
    let data = next_event(&events, "css");
    assert!(data.contains("style.css"), "{data}");
    assert!(server.text("/style.css").contains(".binder-test"));
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_the_server() {
    let (s, _) = server_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let mut server = Server::start(s.root(), &["--no-watch", "--port", &port]);
    assert!(!server.url.ends_with(&format!(":{port}")), "{}", server.url);
    assert!(server.log.lock().expect("log").contains(&format!("port {port} is taken")));
    assert_eq!(server.get("/").status(), 200);

    // An open event stream must not hold the shutdown up.
    let _events = server.events();
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().expect("kill -INT");
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(code) = server.child.try_wait().expect("wait") {
            assert!(code.success(), "exit status {code}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_non_loopback_bind_warns() {
    let (s, _) = server_site();
    let server = Server::start(s.root(), &["--no-watch", "--bind", "0.0.0.0"]);
    assert!(server.log.lock().expect("log").contains("warning: serving on 0.0.0.0"));
    assert!(server.url.starts_with("http://127.0.0.1:"));
}
