//! The HTTP side: pages with types, ETags, HEAD and the 404 page; no traversal; port
//! fallback, the non-loopback warning and Ctrl-C.

use std::process::Command;
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
