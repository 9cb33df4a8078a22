//! `binder serve`: build the site into memory, serve it over HTTP with live reload, and
//! rebuild incrementally on every change.
//!
//! Four parts run side by side: the HTTP server ([`conn`] and [`http`], hyper and axum on
//! tokio), the watcher ([`watch`], notify), one rebuild thread driving the
//! [`incremental::Engine`] through a [`rebuild::Rebuilder`], and one thread for the
//! whole-site extras ([`incremental::Extras`]). The rebuild thread turns each settled batch of
//! changes into a rebuild, swaps the new files into [`files::SiteFiles`], tells every open
//! page through the [`hub::Hub`], and passes the extras their update; they follow a moment
//! later without holding up the next edit. A failed rebuild changes nothing that is served:
//! pages show an overlay with the errors until a later rebuild succeeds. Not even a panic
//! stops the rebuilds ([`guard`]). The live health report ([`crate::health::live`]) judges
//! each rebuild on a thread of its own; the server shows it at `/_health/`.
//!
//! Unlike the build stages, this module prints: it is an interactive front end, like `main`.

pub mod conn;
pub mod files;
pub mod http;
pub mod hub;
pub mod incremental;
pub mod overlay;
pub mod rebuild;
pub mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;
use tokio::sync::watch as signal_watch;

use crate::diag::{BuildFailed, Diagnostic, guard};
use crate::health::live as health;
use crate::site::BuildOptions;
use conn::{Hosts, Limits};
use files::SiteFiles;
use hub::{Hub, Signal};
use incremental::{Engine, Extras, ExtrasUpdate, Outcome};
use rebuild::Rebuilder;
use watch::{Batch, Watcher};

/// How many ports after `--port` to try when it is taken.
const PORT_ATTEMPTS: u16 = 20;
/// How long Ctrl-C waits for open connections before leaving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Options of `binder serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// Port to try first (0: any free port).
    pub port: u16,
    /// Address to bind.
    pub bind: String,
    /// Rebuild on changes.
    pub watch: bool,
    /// Open a browser.
    pub open: bool,
    /// Judge staleness as of this date (`None`: the day of each report).
    pub today: Option<jiff::civil::Date>,
}

/// Runs the server until Ctrl-C. Fails only if the server cannot start (no `site.toml`, a
/// bad address, no free port); build errors are shown and the server keeps running.
pub fn run(opts: ServeOptions) -> Result<(), BuildFailed> {
    // Without a site.toml there is no site to watch: fail as `binder build` does (exit 2,
    // the same message). A site.toml with errors is different: the server starts and shows
    // them until they are fixed.
    if !opts.build.root.join("site.toml").is_file() {
        crate::site::load_config(&opts.build)?;
    }
    let ip = parse_bind(&opts.bind)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error("", format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(serve(opts, ip))
}

/// `--bind`: an IP address, or `localhost`.
fn parse_bind(bind: &str) -> Result<IpAddr, Diagnostic> {
    if bind.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    bind.trim_matches(['[', ']']).parse().map_err(|_| {
        Diagnostic::error("", format!("--bind {bind}: not an IP address"))
            .with_origin(crate::diag::Origin::Usage)
            .with_hint("use 127.0.0.1 (the default), ::1, or 0.0.0.0 to serve your network")
    })
}

async fn serve(opts: ServeOptions, ip: IpAddr) -> Result<(), BuildFailed> {
    let console = Console::new();
    let (listener, addr) = bind(ip, opts.port).await?;
    if addr.port() != opts.port && opts.port != 0 {
        console.note(&format!(
            "port {} is taken; using {} instead",
            opts.port,
            addr.port()
        ));
    }
    if !ip.is_loopback() {
        console.warn(&format!(
            "serving on {ip}, reachable from other machines: drafts and unpublished pages are visible to your network"
        ));
    }
    let url = local_url(addr);
    let mut build = opts.build.clone();
    // Links in the pages must point at this server, not at the published site.
    build.base_url = build.base_url.or_else(|| Some(url.clone()));

    let files = Arc::new(SiteFiles::default());
    let hub = Arc::new(Hub::new(instance_id()));
    let health = Arc::new(health::Health::default());
    let judge = health::Options {
        build: build.clone(),
        today: opts.today,
    };
    let tell = Arc::clone(&hub);
    let health_tx = health::start(judge, Arc::clone(&health), move |changed, summary| {
        tell.health_changed(changed, summary);
    })?;
    let engine = Engine::new(build, Arc::clone(&files));
    let (extras, extras_done) =
        start_extras(engine.extras_worker(), Arc::clone(&hub), health_tx.clone())?;
    let rebuilder = Rebuilder::new(engine, Arc::clone(&hub), extras, health_tx);
    let rebuilder = first_build(rebuilder, extras_done).await?;
    if opts.watch {
        start_watching(rebuilder, &opts.build.root)?;
    }
    console.note(&format!("serving the site at {url}  (Ctrl-C to stop)"));
    if opts.open {
        if let Err(e) = open::that_detached(&url) {
            console.warn(&format!("cannot open a browser: {e}"));
        }
    }
    let hosts = Hosts::new(ip, addr.port());
    listen(listener, files, hub, health, hosts).await;
    console.note("stopped");
    Ok(())
}

/// The first build, extras included (the site starts complete), off the async threads.
async fn first_build(
    mut rebuilder: Rebuilder,
    done: Receiver<()>,
) -> Result<Rebuilder, Diagnostic> {
    let task = tokio::task::spawn_blocking(move || {
        let batch = Batch {
            full: true,
            ..Batch::default()
        };
        if rebuilder.run(&batch) {
            let _ = done.recv();
        }
        rebuilder
    });
    // The rebuilder catches panics itself; this is only a task that could not run.
    task.await
        .map_err(|e| Diagnostic::error("", format!("the first build could not run: {e}")))
}

/// Serves until Ctrl-C, then closes the event streams and waits a little for open requests.
async fn listen(
    listener: TcpListener,
    files: Arc<SiteFiles>,
    hub: Arc<Hub>,
    health: Arc<health::Health>,
    hosts: Hosts,
) {
    let (shutdown_tx, shutdown_rx) = signal_watch::channel(false);
    let limits = Limits::from_env();
    let app = Arc::new(http::App {
        files,
        hub,
        health,
        shutdown: shutdown_rx.clone(),
        keep_alive: limits.keep_alive(),
    });
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = shutdown_tx.send(true);
    });
    conn::serve(
        listener,
        http::router(app),
        Arc::new(hosts),
        limits,
        shutdown_rx,
        SHUTDOWN_GRACE,
    )
    .await;
}

/// Binds `ip:port`, or the next free port after it.
async fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), Diagnostic> {
    let mut last_error = None;
    let attempts = if port == 0 { 1 } else { PORT_ATTEMPTS };
    for p in (0..attempts).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind((ip, p)).await {
            Ok(l) => {
                let addr = l.local_addr().map_err(|e| {
                    Diagnostic::error("", format!("cannot read the bound address: {e}"))
                })?;
                return Ok((l, addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => {
                let (why, hint) = match e.kind() {
                    std::io::ErrorKind::AddrNotAvailable => (
                        format!("{ip} is not an address of this machine"),
                        "use 127.0.0.1 (the default), ::1, 0.0.0.0 to serve your network, or \
                         an address this machine has",
                    ),
                    std::io::ErrorKind::PermissionDenied => (
                        format!("port {p} needs administrator rights ({e})"),
                        "pass a --port of 1024 or more (1111 is the default)",
                    ),
                    _ => (e.to_string(), "pick another --bind address or --port"),
                };
                return Err(
                    Diagnostic::error("", format!("cannot listen on {ip}:{p}: {why}"))
                        .with_origin(crate::diag::Origin::Usage)
                        .with_hint(hint),
                );
            }
        }
    }
    let last = port.saturating_add(attempts - 1);
    let what = match (attempts, last_error) {
        (1, _) => format!("port {port} is taken"),
        (_, Some(_)) => format!("ports {port} to {last} are all taken"),
        (_, None) => format!("no port from {port} to {last} could be tried"),
    };
    Err(Diagnostic::error(
        "",
        format!("{what}: another program (perhaps another `binder serve`) listens there"),
    )
    .with_origin(crate::diag::Origin::Usage)
    .with_hint("stop that program, or pass another --port (0 picks any free port)"))
}

/// The URL to print and to use as base_url (a wildcard bind is reached through loopback).
fn local_url(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Identifies this server run, so pages notice a restart.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", nanos, std::process::id())
}

/// Starts the watcher and the rebuild thread (it owns the engine from now on).
fn start_watching(mut rebuilder: Rebuilder, root: &std::path::Path) -> Result<(), Diagnostic> {
    let mut watcher = Watcher::start(root, rebuilder.theme())
        .map_err(|e| Diagnostic::error("", format!("cannot watch {}: {e}", root.display())))?;
    std::thread::Builder::new()
        .name("binder-rebuild".into())
        .spawn(move || {
            // An empty batch (no save within `retry_in`) retries a failed rebuild.
            while let Some(batch) = watcher.next_batch_within(rebuilder.retry_in()) {
                rebuilder.run(&batch);
                if batch.full {
                    // site.toml may name another theme now.
                    watcher.set_theme(rebuilder.theme());
                }
            }
        })
        .map(drop)
        .map_err(|e| Diagnostic::error("", format!("cannot start the rebuild thread: {e}")))
}

/// The extras thread: keeps the extras' replica of the model up to date and renders them
/// after each rebuild, in a small thread pool of its own so the next rebuild finds the main
/// pool free. Reports each run on the returned receiver.
fn start_extras(
    mut extras: Extras,
    hub: Arc<Hub>,
    health: Sender<health::Input>,
) -> Result<(Sender<ExtrasUpdate>, Receiver<()>), Diagnostic> {
    let (tx, rx) = channel::<ExtrasUpdate>();
    let (done_tx, done_rx) = channel();
    let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("binder-extras-{i}"))
        .build()
        .map_err(|e| Diagnostic::error("", format!("cannot start the extras threads: {e}")))?;
    std::thread::Builder::new()
        .name("binder-extras".into())
        .spawn(move || {
            let console = Console::new();
            while let Ok(update) = rx.recv() {
                let result = guard::catch("rendering the feeds and generated pages", || {
                    extras.apply(update);
                    // Catch up with every rebuild since; only the latest one's extras matter.
                    while let Ok(update) = rx.try_recv() {
                        extras.apply(update);
                    }
                    extras.is_current().then(|| pool.install(|| extras.run()))
                });
                match result {
                    Ok(Some(outcome)) => report_extras(outcome, &hub, &health, &console),
                    Ok(None) => {}
                    Err(bug) => {
                        report_extras(Err(BuildFailed::one(bug)), &hub, &health, &console);
                    }
                }
                let _ = done_tx.send(());
            }
        })
        .map_err(|e| Diagnostic::error("", format!("cannot start the extras thread: {e}")))?;
    Ok((tx, done_rx))
}

/// Tells the browsers about updated extras, and the health thread about their warnings.
/// Feeds, sitemap and indexes are not shown inside pages: only generated pages (print,
/// pairs, questions) need a reload.
fn report_extras(
    result: Result<Outcome, BuildFailed>,
    hub: &Hub,
    health: &Sender<health::Input>,
    console: &Console,
) {
    match result {
        Ok(extras) => {
            let _ = health.send(health::Input::Extras(extras.warnings));
            let pages: Vec<String> = extras
                .changed
                .into_iter()
                .filter(|p| p.ends_with(".html"))
                .collect();
            if !pages.is_empty() {
                hub.send(Signal::Reload(Some(pages)));
            }
        }
        Err(failed) => {
            hub.failed(failed.errors().cloned().collect());
            rebuild::report_to_console(console, &failed);
        }
    }
}

/// Terminal output of the server.
pub struct Console {
    color: bool,
}

impl Console {
    fn new() -> Console {
        Console {
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    fn warn(&self, text: &str) {
        eprintln!("warning: {text}");
    }

    fn rebuilt(&self, batch: &Batch, o: &Outcome) {
        let ms = o.elapsed.as_secs_f64() * 1000.0;
        if o.full {
            eprintln!(
                "built {} articles in {ms:.1} ms ({} warning{})",
                o.pages,
                o.warnings.len(),
                if o.warnings.len() == 1 { "" } else { "s" }
            );
            for d in &o.warnings {
                eprint!("{}", crate::diag::render(d, self.color));
            }
        } else if !o.changed.is_empty() || !batch.is_empty() {
            eprintln!(
                "rebuilt in {ms:.1} ms: {} parsed, {} rendered, {} file{} changed",
                o.parsed,
                o.rendered,
                o.changed.len(),
                if o.changed.len() == 1 { "" } else { "s" }
            );
        }
    }

    fn failed(&self, failed: &BuildFailed) {
        for d in failed.errors() {
            eprint!("{}", crate::diag::render(d, self.color));
        }
        let n = failed.errors().count();
        eprintln!(
            "build failed with {n} error{}: still serving the last good build",
            if n == 1 { "" } else { "s" }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(
            parse_bind("127.0.0.1").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert_eq!(
            parse_bind("localhost").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert!(parse_bind("[::1]").is_ok_and(|ip| ip.is_loopback()));
        assert!(parse_bind("example.org").is_err());
    }

    #[test]
    fn urls_for_wildcard_binds_use_loopback() {
        assert_eq!(
            local_url("0.0.0.0:1111".parse().expect("addr")),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            local_url("[::]:1111".parse().expect("addr")),
            "http://[::1]:1111/"
        );
        assert_eq!(
            local_url("192.168.1.2:8080".parse().expect("addr")),
            "http://192.168.1.2:8080/"
        );
    }
}
