//! `binder serve`: incremental rebuilds equal full builds ([`incremental`]), and the real
//! server (the binary, over HTTP on an ephemeral loopback port) serves pages, refuses
//! traversal and foreign `Host` names, drops slow clients and serves whole pages under load
//! ([`http`]), pushes live-reload and error events, folds editor saves into one rebuild and
//! survives panicking and failing rebuilds ([`live`]), and an open page in Chromium reloads,
//! keeps its scroll position, shows the error overlay and never misses a quick re-save
//! ([`in_browser`]); the health report follows edits on `/_health/` and stale articles carry
//! a notice in `serve` only ([`health`]).

mod health;
mod http;
mod in_browser;
mod incremental;
mod live;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::Site;

/// A small site using every cross-page feature: sections with pagination, series, a pair,
/// backlinks, wikilinks (whose text is the target's title), concepts with a glossary entry,
/// authors, and an asset next to an article.
fn rich_site() -> Site {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\npaginate_by: 2\n---\nShort tips. See [[Ask for clarity]].\n",
    );
    s.write(
        "content/principles/_index.md",
        "---\ntitle: Principles\n---\nWhat we believe.\n",
    );
    s.write(
        "content/pair-blog/_index.md",
        "---\ntitle: Pair blog\n---\n",
    );
    s.article(
        "tips/ask.md",
        "title: Ask for clarity\ndate: 2024-01-05\nconcepts: [trust, questions]\nauthors: [Ada]",
        "First paragraph about asking.\n\nSee [[listen]] and [the trust principle](../principles/trust.md).\n\n![chart](chart.svg)",
    );
    s.write(
        "content/tips/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.article(
        "tips/listen.md",
        "title: Listen well\ndate: 2024-02-01\nconcepts: [listening, trust]\nauthors: [Bo]",
        "Listening matters.\n\nBack to [[Ask for clarity]].",
    );
    s.article(
        "tips/close.md",
        "title: Close with a step\ndate: 2024-03-01\nconcepts: [questions]",
        "End with one next step.",
    );
    s.article(
        "tips/open.md",
        "title: Open well\ndate: 2023-12-01\nconcepts: [listening]",
        "Start with a question.",
    );
    s.article("principles/trust.md", "title: Trust first\ndate: 2023-01-01\nconcepts: [trust]\nseries: foundations\nseries_order: 1", "Trust comes first.");
    s.article("principles/curiosity.md", "title: Curiosity\ndate: 2023-02-01\nconcepts: [questions]\nseries: foundations\nseries_order: 2", "Stay curious. Compare [[Trust first]].");
    s.article(
        "pair-blog/a.md",
        "title: Pair A\ndate: 2024-04-01\nconcepts: [trust]\npair: b.md",
        "A's view. See [the other view](b.md).",
    );
    s.article(
        "pair-blog/b.md",
        "title: Pair B\ndate: 2024-04-01\nconcepts: [trust]\npair: a.md",
        "B's view. See [the other view](a.md).",
    );
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\ndescription: Confidence in each other.\n---\nTrust is **earned**.\n",
    );
    s
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

/// `binder serve` running on an ephemeral port, killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_env(root, extra, &[])
    }

    /// Like [`Server::start`], with environment variables (timeouts, injected faults).
    fn start_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_in(Command::new(env!("CARGO_BIN_EXE_binder")), root, extra, env)
    }

    /// Like [`Server::start`], with at most `files` open file descriptors (through util-linux
    /// `prlimit`, which execs binder in its own process); `None` without `prlimit`.
    fn start_with_fd_limit(root: &Path, files: u32) -> Option<Server> {
        let prlimit = Path::new("/usr/bin/prlimit");
        if !prlimit.is_file() {
            eprintln!("no /usr/bin/prlimit: skipping a file-descriptor test");
            return None;
        }
        let mut command = Command::new(prlimit);
        command
            .arg(format!("--nofile={files}:{files}"))
            .arg(env!("CARGO_BIN_EXE_binder"));
        Some(Server::start_in(command, root, &[], &[]))
    }

    fn start_in(mut command: Command, root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = command
            .arg("--root")
            .arg(root)
            .arg("serve")
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
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
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("serve did not start:\n{}", log.lock().expect("log")));
        Server {
            child,
            url: url.trim_end_matches('/').to_owned(),
            log,
        }
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        reqwest::blocking::get(format!("{}{path}", self.url)).expect("GET")
    }

    fn text(&self, path: &str) -> String {
        self.get(path).text().expect("body")
    }

    fn builds(&self) -> u64 {
        self.status()["builds"].as_u64().expect("builds")
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.text("/__binder/status")).expect("status json")
    }

    /// How many times the server retried a rebuild that failed for an I/O reason.
    fn retries(&self) -> usize {
        self.log().matches("failed for an I/O reason").count()
    }

    /// The server's log so far.
    fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Polls `/__binder/status` until `ok` is `want`, and returns it.
    fn wait_for_status(&self, want: bool) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let status = self.status();
            if status["ok"] == want {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "status never became ok: {want}: {status}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls until `path` contains `needle`.
    fn wait_for_text(&self, path: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let t = self.text(path);
            if t.contains(needle) {
                return t;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{path} never showed `{needle}`\n{}",
                self.log.lock().expect("log")
            );
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
        write!(
            stream,
            "GET {request_target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut out = String::new();
        stream.read_to_string(&mut out).expect("read");
        out
    }

    /// Opens the event stream; events arrive as (name, data) on the receiver.
    fn events(&self) -> Receiver<(String, String)> {
        self.events_at("")
    }

    /// Opens the event stream as a page would (`query`: `?path=…&build=…`).
    fn events_at(&self, query: &str) -> Receiver<(String, String)> {
        let response = reqwest::blocking::Client::builder()
            .timeout(None)
            .build()
            .expect("client")
            .get(format!("{}/__binder/events{query}", self.url))
            .send()
            .expect("events");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
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

/// `binder serve` in a folder without `site.toml` fails at once as `binder build` does: exit
/// code 2 and the same message, instead of a server with nothing to serve.
#[test]
fn serve_without_site_toml_fails_like_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_binder"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run binder");
        let deadline = Instant::now() + Duration::from_secs(20);
        let code = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status.code();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`binder {}` is still running without a site.toml",
                    args.join(" ")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read stderr");
        (code, stderr)
    };
    let (build_code, build_err) = run(&["build"]);
    let (serve_code, serve_err) = run(&["serve", "--port", "0", "--no-watch"]);
    assert_eq!(build_code, Some(2), "{build_err}");
    assert_eq!(serve_code, Some(2), "{serve_err}");
    assert!(serve_err.contains("there is no site.toml"), "{serve_err}");
    // The same diagnostic; only build adds that its output folder was not changed.
    let diagnostic = |text: &str| text.split("\nbinder: ").next().unwrap_or("").to_owned();
    assert_eq!(diagnostic(&serve_err), diagnostic(&build_err));
    assert!(
        serve_err.ends_with("binder: 1 error found\n"),
        "{serve_err}"
    );
}
