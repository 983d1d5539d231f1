//! [`Server`]: a server running as a task of its own, and [`ShutdownReport`]: how its
//! graceful shutdown went.

use super::Stats;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use weft::sync::Event;
use weft::Task;

/// How a server's graceful shutdown went: every request finished within the grace
/// period, or some were cancelled at its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShutdownReport {
    pub(crate) cancelled: u64,
}

impl ShutdownReport {
    /// Requests still being served at the end of the grace period, and cancelled
    /// there (their service calls were dropped, their connections closed).
    ///
    /// ```
    /// # async fn demo(server: weft_hyper::server::Server) -> std::io::Result<()> {
    /// let report = server.shutdown().await?;
    /// if !report.is_clean() {
    ///     eprintln!("{} requests cut at the end of the grace period", report.cancelled());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn cancelled(&self) -> u64 {
        self.cancelled
    }

    /// `true` if every request finished within the grace period.
    ///
    /// ```
    /// # async fn demo(server: weft_hyper::server::Server) -> std::io::Result<()> {
    /// let report = server.shutdown().await?;
    /// if !report.is_clean() {
    ///     eprintln!("{} requests cut at the end of the grace period", report.cancelled());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_clean(&self) -> bool {
        self.cancelled == 0
    }
}

/// A server running in a task of its own, from [`Serve::spawn`](super::Serve::spawn):
/// its address, its counters, and its graceful shutdown.
///
/// Dropping it stops the server at once: the listener closes and every connection is
/// cancelled (use [`shutdown`](Server::shutdown) to let them finish).
///
/// ```
/// use http_body_util::Full;
/// use hyper::body::Bytes;
///
/// weft::run(async {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
///     let hello = hyper::service::service_fn(|_req| async {
///         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hi"))))
///     });
///     let server = weft_hyper::server::serve(listener, hello).spawn();
///     let url = format!("http://{}/", server.local_addr());
///     assert_eq!(weft_hyper::get(&url).await?.text().await?, "hi");
///
///     let report = server.shutdown().await?; // stop accepting, let requests finish
///     assert!(report.is_clean());
///     let refused = weft_hyper::Client::new().get(&url).await.unwrap_err();
///     assert!(refused.is_connect()); // the listener is closed
///     Ok::<_, Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
#[must_use = "dropping the Server stops it at once"]
pub struct Server {
    /// `None` once `shutdown` took it.
    task: Option<Task<io::Result<ShutdownReport>>>,
    stop: Arc<Event>,
    stats: Stats,
    local_addr: SocketAddr,
}

impl Server {
    pub(crate) fn new(
        task: Task<io::Result<ShutdownReport>>,
        stop: Arc<Event>,
        stats: Stats,
        local_addr: SocketAddr,
    ) -> Server {
        Server {
            task: Some(task),
            stop,
            stats,
            local_addr,
        }
    }

    /// The address it listens on.
    ///
    /// ```
    /// # fn demo(server: &weft_hyper::server::Server) {
    /// let url = format!("http://{}/", server.local_addr());
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Its counters: connections accepted, open, failed; panics caught.
    ///
    /// ```
    /// # fn demo(server: &weft_hyper::server::Server) {
    /// assert!(server.stats().accepted() >= server.stats().open());
    /// # }
    /// ```
    pub fn stats(&self) -> Stats {
        self.stats.clone()
    }

    /// Starts the graceful shutdown without waiting for it: the listener closes (new
    /// connections are refused) and every connection is asked to finish. Await
    /// [`shutdown`](Server::shutdown) for the outcome. Starting it again does nothing.
    ///
    /// ```
    /// # async fn demo(server: weft_hyper::server::Server) -> std::io::Result<()> {
    /// server.begin_shutdown(); // refuses connections from now on
    /// // ... other work while requests in flight finish ...
    /// let report = server.shutdown().await?; // waits for the rest
    /// # Ok(()) }
    /// ```
    pub fn begin_shutdown(&self) {
        self.stop.set();
    }

    /// Shuts the server down gracefully and waits until it has: the listener closes at
    /// once, requests in flight finish (HTTP/1 connections close after their response,
    /// HTTP/2 ones send GOAWAY), and what is still running at the end of the grace
    /// period ([`Serve::grace_period`](super::Serve::grace_period)) is cancelled.
    ///
    /// # Errors
    ///
    /// The runtime's shutdown error if the runtime shut down under the server, or
    /// the server task's failure (a panic outside any service).
    ///
    /// # Cancel safety
    ///
    /// The shutdown, once started, runs to its end in the server's own task; dropping
    /// the future only stops waiting for it.
    ///
    /// ```
    /// # async fn demo(server: weft_hyper::server::Server) -> std::io::Result<()> {
    /// let report = server.shutdown().await?;
    /// println!("{} requests cancelled", report.cancelled());
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(mut self) -> io::Result<ShutdownReport> {
        self.begin_shutdown();
        let task = self.task.take().expect("only shutdown takes the task");
        task.await.map_err(io::Error::other)?
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("stats", &self.stats)
            .field("shutting_down", &self.stop.is_set())
            .finish()
    }
}
