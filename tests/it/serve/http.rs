//! The HTTP side: pages with types, ETags, HEAD and the 404 page; no traversal; port
//! fallback, the non-loopback warning and Ctrl-C; the `Host` check, the timeouts and whole
//! pages under load.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Server, server_site};

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
    assert!(
        html.contains("/__binder/reload.js"),
        "the live-reload script is injected"
    );
    assert_eq!(html.matches("/__binder/reload.js").count(), 1);

    let client = reqwest::blocking::Client::new();
    let again = client
        .get(format!("{}/tips/ask/", server.url))
        .header("If-None-Match", &etag)
        .send()
        .expect("GET");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().expect("body").is_empty());

    let head = client
        .head(format!("{}/style.css", server.url))
        .send()
        .expect("HEAD");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        head.headers()["content-length"]
            .to_str()
            .expect("len")
            .parse::<usize>()
            .expect("number")
            > 0
    );
    assert!(head.bytes().expect("body").is_empty());
    let post = client
        .post(format!("{}/tips/ask/", server.url))
        .send()
        .expect("POST");
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET,HEAD");
    assert_eq!(post.text().expect("body"), "only GET and HEAD are served\n");
    assert_eq!(
        server.get("/tips/chart.svg").headers()["content-type"],
        "image/svg+xml"
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status(), 404);
    assert!(
        missing
            .text()
            .expect("body")
            .contains("/__binder/reload.js")
    );

    let no_slash = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/tips/ask", server.url))
        .send()
        .expect("GET");
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
    for target in [
        "/../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fsite.toml",
        "/tips/..%5c..%5csecret.txt",
        "/tips\\..\\..\\secret.txt",
        "/%2e%2e/secret.txt",
        "/content/tips/ask.md",
        "/secret.txt",
    ] {
        let response = server.raw(target);
        let status = response.split_whitespace().nth(1).unwrap_or("");
        assert!(
            status == "403" || status == "404" || status == "400",
            "{target}: {status}"
        );
        assert!(
            !response.contains("TOP-SECRET")
                && !response.contains("base_url")
                && !response.contains("root:"),
            "{target} leaked a file"
        );
    }
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_the_server() {
    let (s, _) = server_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let mut server = Server::start(s.root(), &["--no-watch", "--port", &port]);
    assert!(!server.url.ends_with(&format!(":{port}")), "{}", server.url);
    assert!(
        server
            .log
            .lock()
            .expect("log")
            .contains(&format!("port {port} is taken"))
    );
    assert_eq!(server.get("/").status(), 200);

    // An open event stream must not hold the shutdown up.
    let _events = server.events();
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(code) = server.child.try_wait().expect("wait") {
            assert!(code.success(), "exit status {code}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_non_loopback_bind_warns() {
    let (s, _) = server_site();
    let server = Server::start(s.root(), &["--no-watch", "--bind", "0.0.0.0"]);
    assert!(
        server
            .log
            .lock()
            .expect("log")
            .contains("warning: serving on 0.0.0.0")
    );
    assert!(server.url.starts_with("http://127.0.0.1:"));
}

/// Issue 11, defect 7: the dev server answered any `Host` (DNS rebinding could read the site
/// and `/__binder/status`). Now every route answers only names of this server.
#[test]
fn a_foreign_host_header_is_refused_on_every_route() {
    let (s, _) = server_site();
    let server = Server::start(s.root(), &["--no-watch"]);
    let port = server.url.rsplit(':').next().expect("port").to_owned();
    let client = reqwest::blocking::Client::new();
    let get = |path: &str, host: &str| {
        client
            .get(format!("{}{path}", server.url))
            .header("Host", host)
            .send()
            .expect("GET")
    };
    for path in [
        "/",
        "/tips/ask/",
        "/style.css",
        "/no/such/page/",
        "/__binder/status",
        "/__binder/events",
        "/__binder/reload.js",
    ] {
        for host in [
            "evil.example".to_owned(),
            format!("evil.example:{port}"),
            format!("127.0.0.1.nip.io:{port}"),
            "127.0.0.1:1".to_owned(),
        ] {
            let r = get(path, &host);
            assert_eq!(r.status(), 421, "{path} with Host {host}");
            assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
            let text = r.text().expect("body");
            assert!(
                text.contains("DNS rebinding") && !text.contains("Ask for clarity"),
                "{text}"
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("[::1]:{port}"),
        "[::1]".to_owned(),
    ] {
        assert_eq!(get("/tips/ask/", &host).status(), 200, "Host {host}");
        assert_eq!(get("/__binder/status", &host).status(), 200, "Host {host}");
    }
    // A request target naming another server is refused too, whatever the Host says.
    let raw = server.raw("http://evil.example/tips/ask/");
    assert!(raw.starts_with("HTTP/1.1 421"), "{raw}");
}

/// Reads from `stream` until the server closes it; returns how long that took (or panics
/// after `limit`).
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Duration {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return start.elapsed(),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return start.elapsed(),
            Err(e) => panic!("still open after {:?}: {e}", start.elapsed()),
        }
    }
}

/// Issue 11, defect 7: slow clients held connections forever. Half a request line, an
/// idle connection and a kept-alive one are all closed within the timeouts; an open event
/// stream stays connected past the idle timeout (its comments count as activity).
#[test]
fn slow_and_idle_clients_are_dropped_within_the_timeouts() {
    let (s, root) = server_site();
    let server = Server::start_env(s.root(), &[], &[("BINDER_SERVE_TIMEOUTS_MS", "600,1500")]);
    let addr = server.url.trim_start_matches("http://").to_owned();
    let events = server.events();
    super::next_event(&events, "hello");

    let mut half = TcpStream::connect(&addr).expect("connect");
    half.write_all(b"GET /tips/ask/ HT").expect("send");
    let took = closed_within(&mut half, Duration::from_secs(5));
    assert!(
        took < Duration::from_millis(1400),
        "half a request line held {took:?}"
    );

    let mut silent = TcpStream::connect(&addr).expect("connect");
    let took = closed_within(&mut silent, Duration::from_secs(5));
    assert!(
        took < Duration::from_millis(1400),
        "a silent connection held {took:?}"
    );

    let mut kept = TcpStream::connect(&addr).expect("connect");
    write!(kept, "GET /style.css HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).expect("response");
    assert_eq!(&first, b"HTTP/1.1 200");
    let took = closed_within(&mut kept, Duration::from_secs(5));
    assert!(
        took < Duration::from_millis(2000),
        "a kept-alive connection held {took:?}"
    );

    // The event stream opened before all this is still live.
    super::edit(
        &root,
        "content/tips/listen.md",
        "Listening matters.",
        "Still connected.",
    );
    assert!(super::next_event(&events, "reload").contains("tips/listen/index.html"));
}

/// Fetches `paths` in a loop until `stop`, checking that every response is a whole page of
/// one version; returns (requests, failures as text).
fn hammer(server_url: &str, paths: &[(&str, &str)], stop: &AtomicBool) -> (usize, Vec<String>) {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let (mut requests, mut failures) = (0, Vec::new());
    while !stop.load(Ordering::Relaxed) {
        for (path, marker) in paths {
            requests += 1;
            let body = match client.get(format!("{server_url}{path}")).send() {
                Ok(r) if r.status() == 200 => r.text(),
                Ok(r) => {
                    failures.push(format!("{path}: status {}", r.status()));
                    continue;
                }
                Err(e) => {
                    failures.push(format!("{path}: {e}"));
                    continue;
                }
            };
            match body {
                Ok(b) if b.trim_end().ends_with("</html>") && one_version(&b, marker) => {}
                Ok(b) => failures.push(format!("{path}: a torn page of {} bytes", b.len())),
                Err(e) => failures.push(format!("{path}: {e}")),
            }
        }
    }
    (requests, failures)
}

/// True if `page` shows `marker` followed by a version number, and always the same one
/// (the title, the description and the body all come from one save).
fn one_version(page: &str, marker: &str) -> bool {
    let versions: Vec<&str> = page
        .split(marker)
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or("")
        })
        .collect();
    !versions.is_empty() && versions.iter().all(|v| !v.is_empty() && *v == versions[0])
}

/// `clients` clients fetch two pages while the articles are edited `edits` times; every
/// response must be a complete page (the old version or the new one). Returns the number of
/// requests.
fn load_during_edits(clients: usize, edits: usize) -> usize {
    let (s, root) = server_site();
    let body = |article: &str, v: usize| format!("The {article} tip, version {v}.");
    s.article(
        "tips/listen.md",
        "title: Listen well\ndate: 2024-02-01",
        &body("listen", 0),
    );
    s.article(
        "tips/ask.md",
        "title: Ask for clarity\ndate: 2024-01-05",
        &body("ask", 0),
    );
    let server = Server::start(s.root(), &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (url, stop) = (server.url.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let pages = [
                    ("/tips/listen/", "The listen tip, version "),
                    ("/tips/ask/", "The ask tip, version "),
                ];
                hammer(&url, &pages, &stop)
            })
        })
        .collect();
    for v in 1..=edits {
        std::thread::sleep(Duration::from_millis(100));
        for article in ["listen", "ask"] {
            let path = format!("content/tips/{article}.md");
            super::edit(&root, &path, &body(article, v - 1), &body(article, v));
        }
    }
    server.wait_for_text("/tips/listen/", &body("listen", edits));
    server.wait_for_text("/tips/ask/", &body("ask", edits));
    stop.store(true, Ordering::Relaxed);
    let (mut requests, mut failures) = (0, Vec::new());
    for w in workers {
        let (r, f) = w.join().expect("client thread");
        requests += r;
        failures.extend(f);
    }
    eprintln!(
        "{clients} clients, {edits} edits: {requests} requests in {:.1} s, {} failures",
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(server.status()["ok"] == true, "{}", server.log());
    requests
}

/// Issue 11, "done when": clients fetching pages during a series of edits see zero errors
/// and zero torn pages. A modest count here; the 200-client run is the ignored test below.
#[test]
fn concurrent_clients_during_edits_get_whole_pages() {
    assert!(load_during_edits(24, 8) > 0);
}

/// The full load check of issue 11: 200 concurrent clients during 20 edits
/// (`cargo test --release --test it -- --ignored two_hundred_clients`).
#[test]
#[ignore = "slow: 200 clients; run it by name"]
fn two_hundred_clients_during_edits_get_whole_pages() {
    assert!(load_during_edits(200, 20) > 0);
}
