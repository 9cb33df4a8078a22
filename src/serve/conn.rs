//! The connections of `serve`: the accept loop (hyper's HTTP/1 server on tokio), header-read
//! and idle timeouts, and the `Host` check, in front of every route of [`super::http`].
//!
//! A dev server on loopback is still reachable from any web page the author opens: through
//! DNS rebinding (a name the attacker controls, first resolving to their server and then to
//! 127.0.0.1) a page could read the site, drafts included, and `/__binder/status`. Browsers
//! always send the name they resolved as `Host`, so only requests naming this server are
//! answered: `localhost`, `127.0.0.1`, `[::1]`, the `--bind` address and the address the
//! connection arrived on, with this server's port or none. Anything else gets `421
//! Misdirected Request` with a short explanation.
//!
//! Slow clients cannot hold connections forever: request headers must arrive within
//! [`Limits::header_read`] (also the keep-alive wait between requests), and a connection on
//! which nothing was read or written for [`Limits::idle`] is closed (the event stream sends a
//! comment well within that time, so open pages stay connected). hyper has no idle timeout
//! of its own and tower-http's timeouts are per request (they would cut the event stream),
//! so the connection's socket records when it last moved a byte (`Tracked`). On Ctrl-C,
//! hyper-util's graceful shutdown lets each open connection finish the response it is
//! sending.

use std::convert::Infallible;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// Time limits of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the first byte of a request (or the end of the previous response) to the end
    /// of its headers.
    pub header_read: Duration,
    /// Nothing read or written for this long closes the connection.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

impl Limits {
    /// The defaults, or `BINDER_SERVE_TIMEOUTS_MS=header,idle` (tests use short ones).
    pub fn from_env() -> Limits {
        let parsed = std::env::var("BINDER_SERVE_TIMEOUTS_MS")
            .ok()
            .and_then(|v| {
                let (h, i) = v.split_once(',')?;
                Some(Limits {
                    header_read: Duration::from_millis(h.trim().parse().ok()?),
                    idle: Duration::from_millis(i.trim().parse().ok()?),
                })
            });
        parsed.unwrap_or_default()
    }

    /// How often the event stream must send something to stay well inside `idle`.
    pub fn keep_alive(&self) -> Duration {
        (self.idle / 3).clamp(Duration::from_millis(100), Duration::from_secs(15))
    }
}

/// The `Host` values this server answers.
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    /// Lower-case names without the port (IPv6 in brackets).
    names: Vec<String>,
}

impl Hosts {
    /// The names for a server bound to `ip` (`--bind`: an address, or `localhost`, which is
    /// among the loopback names anyway) and `port`. A wildcard bind (`0.0.0.0`, `::`) is no
    /// name to answer to: there each connection's own address counts (see [`Hosts::allows`]).
    pub fn new(ip: IpAddr, port: u16) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        if !ip.is_unspecified() {
            names.push(ip_name(ip));
        }
        names.sort();
        names.dedup();
        Hosts { port, names }
    }

    /// True if `host` (a `Host` header or a request target's authority) names this server,
    /// reached at `local` (the connection's own address: what a wildcard bind answers on).
    pub fn allows(&self, host: &str, local: Option<IpAddr>) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        self.names.contains(&name)
            || local.is_some_and(|ip| !ip.is_unspecified() && ip_name(ip) == name)
    }

    /// `None` if the request may be answered, else the refusal.
    fn check<B>(&self, req: &Request<B>, local: Option<IpAddr>) -> Option<Response<Body>> {
        let header = req.headers().get(header::HOST).map(HeaderValue::to_str);
        let authority = req.uri().authority().map(|a| a.as_str());
        let asked: Vec<&str> = match header {
            Some(Ok(h)) => std::iter::once(h).chain(authority).collect(),
            Some(Err(_)) => return Some(self.refuse("(not text)")),
            None => match authority {
                Some(a) => vec![a],
                None => {
                    return Some(refusal(
                        StatusCode::BAD_REQUEST,
                        "a Host header is required\n".into(),
                    ));
                }
            },
        };
        asked
            .into_iter()
            .find(|h| !self.allows(h, local))
            .map(|h| self.refuse(h))
    }

    fn refuse(&self, host: &str) -> Response<Body> {
        let shown: String = host.chars().take(100).collect();
        let text = format!(
            "binder serve answers only requests for this computer ({}, port {}); this one was \
             for `{shown}`.\nOpen http://127.0.0.1:{}/ instead. Other names are refused so that \
             no web page can reach the dev server through DNS rebinding.\n",
            self.names.join(", "),
            self.port,
            self.port
        );
        refusal(StatusCode::MISDIRECTED_REQUEST, text)
    }
}

fn refusal(status: StatusCode, text: String) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn ip_name(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `name[:port]` or `[v6][:port]` → (name, port); `None` if malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p),
            None if rest.is_empty() => None,
            None => return None,
        };
        (&host[..=end], port)
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// Accepts connections until `shutdown` flips, then lets open ones finish the response they
/// are sending (hyper-util's graceful shutdown), waiting up to `grace` for them.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    hosts: Arc<Hosts>,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => break,
        };
        match accepted {
            Ok((stream, _)) => {
                let conn = Connection {
                    router: router.clone(),
                    hosts: Arc::clone(&hosts),
                    limits,
                };
                tokio::spawn(conn.run(stream, graceful.watcher()));
            }
            // Out of file descriptors (EMFILE) or a connection reset before it was
            // accepted: wait a moment for descriptors to free up, then go on.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}

struct Connection {
    router: Router,
    hosts: Arc<Hosts>,
    limits: Limits,
}

impl Connection {
    /// Serves the connection until it ends, [`Limits::idle`] passes without a byte moved, or
    /// the server shuts down (`watcher`).
    async fn run(self, stream: TcpStream, watcher: Watcher) {
        let local = stream.local_addr().ok().map(|a| a.ip().to_canonical());
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: Arc::clone(&activity),
        });
        let (router, hosts) = (self.router.clone(), Arc::clone(&self.hosts));
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            let router = router.clone();
            let refused = hosts.check(&req, local);
            async move {
                match refused {
                    Some(r) => Ok::<_, Infallible>(r),
                    None => router.oneshot(req.map(Body::new)).await,
                }
            }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_read);
        let conn = watcher.watch(builder.serve_connection(io, service));
        tokio::pin!(conn);
        loop {
            let left = self.limits.idle.saturating_sub(activity.quiet_for());
            tokio::select! {
                _ = conn.as_mut() => return,
                () = tokio::time::sleep(left) => {
                    if activity.quiet_for() >= self.limits.idle {
                        return; // dropping the connection closes the socket
                    }
                }
            }
        }
    }
}

/// When a connection last moved a byte.
struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        self.start
            .elapsed()
            .saturating_sub(Duration::from_millis(self.last.load(Ordering::Relaxed)))
    }
}

/// A stream that records its activity.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn hosts() -> Hosts {
        Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111)
    }

    #[test]
    fn loopback_names_with_or_without_the_port_are_answered() {
        let h = hosts();
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LocalHost",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(h.allows(ok, None), "{ok}");
        }
    }

    #[test]
    fn foreign_names_and_other_ports_are_refused() {
        let h = hosts();
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1:2222",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "[::1",
            "[::1]x",
            "127.0.0.1:",
            "",
            ":1111",
        ] {
            assert!(!h.allows(bad, None), "{bad}");
        }
    }

    #[test]
    fn the_bind_address_and_the_arrival_address_are_answered() {
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 2));
        let h = Hosts::new(lan, 8080);
        assert!(h.allows("192.168.1.2:8080", None));
        let wildcard = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 8080);
        assert!(!wildcard.allows("0.0.0.0:8080", None));
        assert!(wildcard.allows("192.168.1.2:8080", Some(lan)));
        assert!(!wildcard.allows("192.168.1.3:8080", Some(lan)));
        let v6 = Hosts::new("::1".parse().expect("ip"), 8080);
        assert!(v6.allows("[::1]:8080", None));
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().expect("ip");
        let any6 = Hosts::new("::".parse().expect("ip"), 8080);
        assert!(any6.allows("10.0.0.5:8080", Some(mapped.to_canonical())));
    }

    #[test]
    fn requests_are_checked_by_host_header_and_absolute_target() {
        let h = hosts();
        let req = |target: &str, host: Option<&str>| {
            let mut b = Request::builder().uri(target);
            if let Some(host) = host {
                b = b.header(header::HOST, host);
            }
            b.body(()).expect("request")
        };
        assert!(h.check(&req("/", Some("127.0.0.1:1111")), None).is_none());
        let refused = h
            .check(&req("/", Some("evil.example")), None)
            .expect("refused");
        assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST);
        let refused = h
            .check(&req("http://evil.example/", Some("127.0.0.1:1111")), None)
            .expect("refused");
        assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST);
        let missing = h.check(&req("/", None), None).expect("refused");
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn keep_alive_stays_inside_the_idle_timeout() {
        assert_eq!(Limits::default().keep_alive(), Duration::from_secs(15));
        let short = Limits {
            header_read: Duration::from_millis(300),
            idle: Duration::from_millis(900),
        };
        assert_eq!(short.keep_alive(), Duration::from_millis(300));
    }
}
