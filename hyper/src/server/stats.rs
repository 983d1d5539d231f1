//! [`Stats`]: what a server has accepted and how its connections ended, counted as it
//! runs.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Arc;

/// The counters behind [`Stats`], updated by the accept loop and the connections.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) accepted: AtomicU64,
    pub(crate) closed: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) panicked: AtomicU64,
    /// Service calls dropped before they finished (`catch_panic.rs`, rule 4).
    pub(crate) abandoned: AtomicU64,
}

/// A live view of a server's counters: cheap to clone, read at any time, also after
/// the server has stopped.
///
/// ```
/// use http_body_util::Full;
/// use hyper::body::Bytes;
///
/// weft::run(async {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     let hello = hyper::service::service_fn(|_req| async {
///         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hi"))))
///     });
///     let server = weft_hyper::server::serve(listener, hello).spawn();
///     weft_hyper::get(format!("http://{addr}/")).await?.text().await?;
///     assert_eq!(server.stats().accepted(), 1);
///     server.shutdown().await?;
///     Ok::<_, Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone, Default)]
pub struct Stats(pub(crate) Arc<Counters>);

impl Stats {
    /// Connections accepted so far.
    ///
    /// ```
    /// # fn demo(server: &weft_hyper::server::Server) {
    /// let stats = server.stats();
    /// println!("{} accepted, {} open, {} failed, {} panics", stats.accepted(), stats.open(), stats.failed(), stats.panicked());
    /// # }
    /// ```
    pub fn accepted(&self) -> u64 {
        self.0.accepted.load(SeqCst)
    }

    /// Connections open now: accepted and not yet closed.
    ///
    /// ```
    /// # fn demo(stats: weft_hyper::server::Stats) {
    /// let open = stats.open();
    /// # }
    /// ```
    pub fn open(&self) -> u64 {
        self.accepted().saturating_sub(self.0.closed.load(SeqCst))
    }

    /// Connections that ended with an error: a protocol error, an I/O error, a
    /// service error, the header-read timeout (which hyper also reports for a
    /// kept-alive connection left idle that long).
    ///
    /// ```
    /// # fn demo(stats: weft_hyper::server::Stats) {
    /// let failed = stats.failed();
    /// # }
    /// ```
    pub fn failed(&self) -> u64 {
        self.0.failed.load(SeqCst)
    }

    /// Service panics caught. A panic in a service call answered its request with
    /// `500 Internal Server Error`; one elsewhere (in a response body) ended its
    /// connection (HTTP/1) or stream (HTTP/2). Nothing else was harmed.
    ///
    /// ```
    /// # fn demo(stats: weft_hyper::server::Stats) {
    /// let panicked = stats.panicked();
    /// # }
    /// ```
    pub fn panicked(&self) -> u64 {
        self.0.panicked.load(SeqCst)
    }
}

impl fmt::Debug for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stats")
            .field("accepted", &self.accepted())
            .field("open", &self.open())
            .field("failed", &self.failed())
            .field("panicked", &self.panicked())
            .finish()
    }
}
