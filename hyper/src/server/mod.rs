//! Serving hyper and tower services on a weft listener (what hyper-util's
//! `server::conn::auto` plus a hand-written accept loop give on tokio, and what
//! `axum::serve` does there).
//!
//! ```
//! use http_body_util::Full;
//! use hyper::body::Bytes;
//! use hyper::service::service_fn;
//!
//! weft::run(async {
//!     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let hello = service_fn(|_req| async {
//!         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hello"))))
//!     });
//!     let server = weft_hyper::server::serve(listener, hello).spawn();
//!
//!     let url = format!("http://{}/", server.local_addr());
//!     assert_eq!(weft_hyper::get(&url).await?.text().await?, "hello");
//!     server.shutdown().await?;
//!     Ok::<_, Box<dyn std::error::Error>>(())
//! })
//! .unwrap();
//! ```
//!
//! # Rules
//!
//! 1. **Every connection is a task of the server's `TaskGroup`** (`scope.rs`), and so
//!    is every task hyper spawns for it (HTTP/2 streams). The group is the server: it
//!    ends when the accept loop has stopped and every child has ended.
//! 2. **A connection's failure is its own.** hyper's error, the service's error or a
//!    timeout ends that connection and is counted in [`Stats`] and handed to the
//!    error hook; the server and the other connections go on. A service call that
//!    panics answers `500 Internal Server Error` (`catch_panic.rs`): counted and
//!    reported too, it ends only its own request.
//! 3. **Graceful shutdown, in order**: (a) the stop signal ends the accept loop and
//!    the listener is closed, so new connections are refused; (b) every connection
//!    is asked to finish (`connection.rs`, rule 1); (c) the server waits for its
//!    children up to the grace period; (d) what still runs then is cancelled through
//!    the group, and the server's future ends once all of it has been dropped.
//! 4. **hyper's timers run on weft's wheel** ([`WeftTimer`] on
//!    both protocols), so the HTTP/1 header-read timeout (30 s unless set) and HTTP/2
//!    keep-alive work.

mod accept;
mod catch_panic;
mod connection;
mod connection_error;
mod handle;
mod scope;
mod stats;
mod unless;

pub use connection_error::ConnectionError;
pub use handle::{Server, ShutdownReport};
pub use stats::Stats;

pub(crate) use scope::ScopeSlot;

use crate::rt::{WeftExecutor, WeftTimer};
use accept::{accept_until, StopSignal};
use catch_panic::{CatchPanic, PanicReport};
use connection::{serve_connection, ConnectionSetup};
use hyper::body::{Body, Incoming};
use hyper::service::Service;
use hyper::{Request, Response};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use scope::Scope;
use stats::Counters;
use std::error::Error;
use std::fmt;
use std::future::{poll_fn, Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use weft::net::{TcpListener, TcpStream};
use weft::sync::Event;

/// hyper's default header-read timeout, which [`Serve`] also applies to the first
/// byte (`connection.rs`, rule 3).
const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a graceful shutdown waits for connections before cancelling them.
const DEFAULT_GRACE: Duration = Duration::from_secs(10);

/// An error any thread can own, as hyper and tower pass them.
type BoxError = Box<dyn Error + Send + Sync>;

/// A hook that sees each connection's failure.
type ErrorHook = Arc<dyn Fn(&ConnectionError) + Send + Sync>;

/// What [`serve`] accepts: a hyper [`Service`] of requests that can be cloned for
/// each connection and sent to a worker, with a response body hyper can send. Any
/// such service is one ([`hyper::service::service_fn`] over an `async` closure, a
/// tower service wrapped by [`serve_tower`]); there is nothing to implement.
pub trait HttpService:
    Service<
        Request<Incoming>,
        Response = Response<Self::ResBody>,
        Future: Send + 'static,
        Error: Into<BoxError>,
    > + Clone
    + Send
    + 'static
{
    /// The response body.
    type ResBody: Body<Data: Send, Error: Into<BoxError>> + Send + 'static;
}

impl<S, B> HttpService for S
where
    S: Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type ResBody = B;
}

/// Serves `service` on every connection `listener` accepts, HTTP/1.1 and HTTP/2 alike
/// (hyper-util's auto builder: HTTP/2 is recognised by its preface, so clients with
/// prior knowledge get it over plain TCP). Configure the returned [`Serve`], then
/// `.await` it (it runs until its shutdown signal) or [`spawn`](Serve::spawn) it.
///
/// ```no_run
/// use http_body_util::Full;
/// use hyper::body::Bytes;
/// use hyper::service::service_fn;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:3000").await?;
///     let hello = service_fn(|_req| async {
///         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hello"))))
///     });
///     weft_hyper::server::serve(listener, hello).await?;
///     Ok(())
/// }
/// ```
pub fn serve<S: HttpService>(listener: TcpListener, service: S) -> Serve<S> {
    let slot = Arc::new(ScopeSlot::new());
    let mut builder = auto::Builder::new(WeftExecutor::scoped(slot.clone()));
    builder
        .http1()
        .timer(WeftTimer::new())
        .header_read_timeout(DEFAULT_HEADER_READ_TIMEOUT);
    builder.http2().timer(WeftTimer::new());
    Serve {
        listener,
        service,
        builder,
        slot,
        header_read_timeout: Some(DEFAULT_HEADER_READ_TIMEOUT),
        grace: DEFAULT_GRACE,
        nodelay: true,
        signal: None,
        on_error: None,
        counters: Arc::new(Counters::default()),
    }
}

/// [`serve`] for a tower service — an axum `Router`, a `tower::ServiceBuilder` stack —
/// through hyper-util's [`TowerToHyperService`].
///
/// ```
/// use http_body_util::Full;
/// use hyper::body::{Bytes, Incoming};
/// use std::convert::Infallible;
///
/// /// A tower service by hand (an axum Router is one too).
/// #[derive(Clone)]
/// struct Hello;
///
/// impl tower_service::Service<hyper::Request<Incoming>> for Hello {
///     type Response = hyper::Response<Full<Bytes>>;
///     type Error = Infallible;
///     type Future = std::future::Ready<Result<Self::Response, Infallible>>;
///
///     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
///         std::task::Poll::Ready(Ok(()))
///     }
///
///     fn call(&mut self, _req: hyper::Request<Incoming>) -> Self::Future {
///         std::future::ready(Ok(hyper::Response::new(Full::new(Bytes::from("tower")))))
///     }
/// }
///
/// weft::run(async {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
///     let server = weft_hyper::server::serve_tower(listener, Hello).spawn();
///     let url = format!("http://{}/", server.local_addr());
///     assert_eq!(weft_hyper::get(&url).await?.text().await?, "tower");
///     Ok::<_, Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
pub fn serve_tower<S>(listener: TcpListener, service: S) -> Serve<TowerToHyperService<S>>
where
    TowerToHyperService<S>: HttpService,
{
    serve(listener, TowerToHyperService::new(service))
}

/// A server being configured: `.await` it to run it in the current task until its
/// shutdown signal, or [`spawn`](Serve::spawn) it to get a [`Server`] handle.
///
/// Defaults: HTTP/1.1 and HTTP/2, `TCP_NODELAY` on, a 30 s header-read timeout
/// (hyper's), a 10 s grace period, no shutdown signal (it runs until the runtime
/// shuts down, or until its task is cancelled).
#[must_use = "a Serve does nothing until it is awaited or spawned"]
pub struct Serve<S> {
    listener: TcpListener,
    service: S,
    builder: auto::Builder<WeftExecutor>,
    /// Where the executor inside `builder` finds the server's group (rule 1).
    slot: Arc<ScopeSlot>,
    header_read_timeout: Option<Duration>,
    grace: Duration,
    nodelay: bool,
    signal: Option<StopSignal>,
    on_error: Option<ErrorHook>,
    counters: Arc<Counters>,
}

impl<S> Serve<S> {
    /// The HTTP/1 header-read timeout: a client that has not sent a whole request
    /// head this long after it connected (or after its last response, on a kept-alive
    /// connection) is disconnected. `None` turns it off. Default 30 s.
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// let serve = serve.header_read_timeout(std::time::Duration::from_secs(5));
    /// # drop(serve); }
    /// ```
    pub fn header_read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.header_read_timeout = timeout.into();
        self.builder
            .http1()
            .header_read_timeout(self.header_read_timeout);
        self
    }

    /// How long a graceful shutdown lets connections finish before cancelling them.
    /// Default 10 s.
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// let serve = serve.grace_period(std::time::Duration::from_secs(30));
    /// # drop(serve); }
    /// ```
    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Whether accepted connections get `TCP_NODELAY` (default `true`: a response
    /// leaves at once instead of waiting for the client's acknowledgement).
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// let serve = serve.tcp_nodelay(false);
    /// # drop(serve); }
    /// ```
    pub fn tcp_nodelay(mut self, nodelay: bool) -> Self {
        self.nodelay = nodelay;
        self
    }

    /// Starts the graceful shutdown when `signal` completes (axum's
    /// `with_graceful_shutdown`): see [`Server::shutdown`] for what happens then.
    ///
    /// ```
    /// use std::sync::Arc;
    /// # async fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) -> std::io::Result<()> {
    /// let stop = Arc::new(weft::sync::Event::new());
    /// let signal = stop.clone();
    /// let server = serve.with_graceful_shutdown(async move { signal.wait().await });
    /// stop.set(); // from anywhere: the server drains and the await below returns
    /// server.await?;
    /// # Ok(()) }
    /// ```
    pub fn with_graceful_shutdown(
        mut self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> Self {
        self.signal = Some(Box::pin(signal));
        self
    }

    /// Calls `hook` with each connection's failure (a panic, a protocol error, a
    /// timeout); for logging. It runs on the connection's task, so it should be quick.
    /// Failures are counted in [`Stats`] whether or not a hook is set.
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// let serve = serve.on_connection_error(|err| eprintln!("{err}"));
    /// # drop(serve); }
    /// ```
    pub fn on_connection_error(
        mut self,
        hook: impl Fn(&ConnectionError) + Send + Sync + 'static,
    ) -> Self {
        self.on_error = Some(Arc::new(hook));
        self
    }

    /// hyper-util's connection builder, for every option this type does not repeat
    /// (`http1().max_buf_size(..)`, `http2().max_concurrent_streams(..)`, ...). Its
    /// executor and timers are weft's already; leave them in place.
    ///
    /// ```
    /// # fn demo(mut serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// serve.connection_builder().http2().max_concurrent_streams(64);
    /// # }
    /// ```
    pub fn connection_builder(&mut self) -> &mut auto::Builder<WeftExecutor> {
        &mut self.builder
    }

    /// The server's counters, live: readable before, while and after it runs.
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) {
    /// let stats = serve.stats();
    /// assert_eq!(stats.accepted(), 0);
    /// # }
    /// ```
    pub fn stats(&self) -> Stats {
        Stats(self.counters.clone())
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```
    /// # fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) -> std::io::Result<()> {
    /// println!("listening on {}", serve.local_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

impl<S: HttpService> Serve<S> {
    /// Runs the server in a task of its own and returns its handle, for stopping it
    /// from elsewhere (tests, a program with other work to do).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or if the listener's address cannot be read (a
    /// listener that is not bound).
    ///
    /// ```
    /// # async fn demo(serve: weft_hyper::server::Serve<impl weft_hyper::server::HttpService>) -> std::io::Result<()> {
    /// let server = serve.spawn();
    /// println!("serving on {}", server.local_addr());
    /// server.shutdown().await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn spawn(mut self) -> Server {
        let local_addr = match self.listener.local_addr() {
            Ok(addr) => addr,
            Err(err) => panic!("Serve::spawn: the listener has no local address: {err}"),
        };
        let stop = Arc::new(Event::new());
        let stopped = stop.clone();
        let signal = self.signal.take();
        self.signal = Some(Box::pin(async move {
            let stopped = std::pin::pin!(stopped.wait());
            match signal {
                Some(signal) => {
                    unless::unless(stopped, signal).await;
                }
                None => stopped.await,
            }
        }));
        let stats = self.stats();
        Server::new(weft::spawn(run(self)), stop, stats, local_addr)
    }
}

impl<S: HttpService> IntoFuture for Serve<S> {
    type Output = io::Result<ShutdownReport>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<ShutdownReport>> + Send>>;

    /// Runs the server until its shutdown signal and the graceful shutdown after it.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future stops the server at once: the listener closes and every
    /// connection is cancelled.
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self))
    }
}

impl<S> fmt::Debug for Serve<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Serve")
            .field("listener", &self.listener)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("grace", &self.grace)
            .field("nodelay", &self.nodelay)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// The server: the accept loop as the body of its group, then the graceful shutdown
/// (rule 3).
async fn run<S: HttpService>(serve: Serve<S>) -> io::Result<ShutdownReport> {
    let Serve {
        listener,
        service,
        builder,
        slot,
        header_read_timeout,
        grace,
        nodelay,
        signal,
        on_error,
        counters,
    } = serve;
    let mut signal = signal.unwrap_or_else(|| Box::pin(std::future::pending()));
    let builder = Arc::new(builder);
    let shutting_down = Arc::new(Event::new());
    let group = weft::task_group({
        let (slot, shutting_down, counters) =
            (slot.clone(), shutting_down.clone(), counters.clone());
        move |group| async move {
            let scope = slot
                .get_or_init(|| Scope::new(group, shutting_down, counters.clone()))
                .clone();
            let accepted = {
                let scope = scope.clone();
                move |stream: TcpStream, peer: SocketAddr| {
                    counters.accepted.fetch_add(1, SeqCst);
                    // A socket option the OS refuses costs latency, not correctness.
                    let _ = stream.set_nodelay(nodelay);
                    let report: PanicReport = {
                        let (counters, on_error) = (counters.clone(), on_error.clone());
                        Arc::new(move |payload| {
                            counters.panicked.fetch_add(1, SeqCst);
                            if let Some(hook) = &on_error {
                                hook(&ConnectionError::panic(peer, &*payload));
                            }
                        })
                    };
                    let connection = Connection {
                        builder: builder.clone(),
                        scope: scope.clone(),
                        counters: counters.clone(),
                        on_error: on_error.clone(),
                        peer,
                        first_byte_timeout: header_read_timeout,
                    };
                    let service =
                        CatchPanic::new(service.clone(), report.clone(), counters.clone());
                    scope.spawn_catching(connection.run(stream, service), move |payload| {
                        report(payload)
                    });
                }
            };
            let accept_ended = accept_until(&listener, &mut signal, accepted).await;
            drop(listener); // rule 3a: refused from now on
            scope.begin_draining(); // rule 3b
            accept_ended // rule 3c: the group waits for its children
        }
    });
    let mut group = std::pin::pin!(group);
    // Rule 3d: the grace period runs from the start of the drain.
    let mut deadline = std::pin::pin!(grace_after(&shutting_down, grace));
    let first = poll_fn(|cx| {
        if let Poll::Ready(ended) = group.as_mut().poll(cx) {
            return Poll::Ready(Some(ended));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await;
    let (ended, cancelled) = match first {
        Some(ended) => (ended, 0),
        None => {
            let abandoned_before = counters.abandoned.load(SeqCst);
            if let Some(scope) = slot.get() {
                scope.cancel_all();
            }
            // The group returns once every cancelled child has been dropped, and with
            // it every service call still running (`catch_panic.rs`, rule 4).
            let ended = group.await;
            let cut = counters.abandoned.load(SeqCst) - abandoned_before;
            (ended, cut)
        }
    };
    match ended {
        Ok(accept_ended) => accept_ended.map(|()| ShutdownReport { cancelled }),
        Err(group_error) => Err(io::Error::other(group_error)),
    }
}

/// Waits for the drain to begin, then for the grace period.
///
/// # Cancel safety
///
/// Cancel safe: it only waits.
async fn grace_after(shutting_down: &Event, grace: Duration) {
    shutting_down.wait().await;
    weft::time::sleep(grace).await;
}

/// One accepted connection, as its task runs it.
struct Connection {
    builder: Arc<auto::Builder<WeftExecutor>>,
    scope: Scope,
    counters: Arc<Counters>,
    on_error: Option<ErrorHook>,
    peer: SocketAddr,
    first_byte_timeout: Option<Duration>,
}

impl Connection {
    /// Serves the connection and accounts for how it ended (rule 2).
    ///
    /// # Cancel safety
    ///
    /// Dropping it closes the connection; it still counts as closed.
    async fn run<S: HttpService>(self, stream: TcpStream, service: S) {
        let _closed = CountClosed(self.counters.clone());
        let setup = ConnectionSetup {
            builder: &self.builder,
            shutting_down: self.scope.shutting_down(),
            first_byte_timeout: self.first_byte_timeout,
        };
        let failed = |error| {
            self.counters.failed.fetch_add(1, SeqCst);
            if let Some(hook) = &self.on_error {
                hook(&ConnectionError::Http {
                    peer: self.peer,
                    error,
                });
            }
        };
        serve_connection(setup, stream, service, failed).await;
    }
}

/// Counts a connection closed however its task ends, cancelled or panicked too.
struct CountClosed(Arc<Counters>);

impl Drop for CountClosed {
    fn drop(&mut self) {
        self.0.closed.fetch_add(1, SeqCst);
    }
}
