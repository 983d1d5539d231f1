//! `start_server`: asyncio's `start_server`, an accept loop that spawns a handler per
//! connection.
//!
//! # Rules
//!
//! 1. The accept loop runs as its own task until [`Server::close`] (or the `Server`'s
//!    drop) stops it. `close` shuts the listening socket down at once, as asyncio's
//!    closes it: from that moment connections are refused, not left in the backlog;
//!    the loop sees `stopping` and ends, and is cancelled besides.
//! 2. An accept error never ends the loop, except the runtime's shutdown and `close`.
//!    Running out of descriptors or memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`)
//!    backs off — 1 ms, doubling up to 1 s — and retries, so the server keeps serving
//!    once descriptors are freed; other errors (a connection reset before it was
//!    accepted) retry after a yield, so that no error can spin the loop.
//! 3. Each connection runs its handler in a task of its own. `live` counts the
//!    handlers. `drained` is set once the loop has stopped *and* no handler runs, by
//!    whichever of the two happens last: the loop's end sets `stopped` then reads
//!    `live`; a handler's end decrements `live` then reads `stopped` (all SeqCst), so at
//!    least one of them sees both. [`Server::wait_closed`] waits for it.

use crate::sync::Event;
use crate::task::Task;
use crate::time::sleep;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;
use weft_io::io::BufReader;
use weft_io::net::{OwnedReadHalf, OwnedWriteHalf, TcpListener, ToSocketAddrs};
use weft_io::RuntimeShutdown;

/// The first back-off after running out of descriptors (rule 2).
const FIRST_BACKOFF: Duration = Duration::from_millis(1);
/// The longest back-off.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Listens on `addr` and runs `handler(reader, writer)` in a task of its own for every
/// connection (asyncio's `start_server(client_connected_cb, host, port)`).
///
/// The reader is a [`BufReader`] over the connection's read half (asyncio's
/// `StreamReader`: `read_line`, `read_until`, `read_exact`, ...), the writer its write
/// half (`StreamWriter`: `write_all`, `flush`, `close`). A handler's error ends its
/// connection and nothing else; handle it inside the handler to see it.
///
/// ```
/// use weft::io::AsyncWriteExt;
///
/// weft::run(async {
///     let server = weft::net::start_server("127.0.0.1:0", |mut reader, mut writer| async move {
///         let mut line = String::new();
///         reader.read_line(&mut line).await?;
///         writer.write_all(line.as_bytes()).await // echo one line back
///     })
///     .await?;
///
///     let (mut reader, mut writer) = weft::net::open_connection(server.local_addr()).await?;
///     writer.write_all(b"hello\n").await?;
///     let mut echoed = String::new();
///     reader.read_line(&mut echoed).await?;
///     assert_eq!(echoed, "hello\n");
///
///     server.close();
///     server.wait_closed().await;
///     std::io::Result::Ok(())
/// })
/// .unwrap();
/// ```
///
/// # Errors
///
/// The OS's error if `addr` does not resolve or cannot be bound (`AddrInUse`, ...).
///
/// # Cancel safety
///
/// Dropping the future before it completes binds nothing (or closes what it bound).
///
/// # Panics
///
/// Outside a weft runtime (it spawns tasks on the current one).
pub async fn start_server<A, H, F>(addr: A, handler: H) -> io::Result<Server>
where
    A: ToSocketAddrs,
    H: Fn(BufReader<OwnedReadHalf>, OwnedWriteHalf) -> F + Send + Sync + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    let listener = Arc::new(TcpListener::bind(addr).await?);
    let local_addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        live: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        stopped: AtomicBool::new(false),
        drained: Event::new(),
    });
    let accept_loop = crate::spawn(accept_loop(listener.clone(), handler, shared.clone()));
    Ok(Server {
        local_addr,
        listener,
        accept_loop,
        shared,
    })
}

/// A running server; see [`start_server`]. Dropping it closes it (as
/// [`close`](Server::close) does) without waiting for its connections.
#[must_use = "dropping the Server closes it at once"]
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    /// Shared with the accept loop, so `close` can shut it down at once (rule 1).
    listener: Arc<TcpListener>,
    accept_loop: Task<()>,
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// Handlers running (rule 3).
    live: AtomicUsize,
    /// `close` was called: the loop must end (rule 1).
    stopping: AtomicBool,
    /// The accept loop has ended.
    stopped: AtomicBool,
    /// Set once the loop has stopped and no handler runs.
    drained: Event,
}

impl Server {
    /// The address it listens on (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting and closes the listening socket: from now on connections are
    /// refused. Connections already accepted run on (asyncio's `close()`).
    pub fn close(&self) {
        self.shared.stopping.store(true, SeqCst);
        // Refuses new connections now; the error (the socket is already shut) changes
        // nothing.
        let _ = socket2::SockRef::from(&*self.listener).shutdown(std::net::Shutdown::Both);
        self.accept_loop.cancel();
    }

    /// `true` while it accepts connections (asyncio's `is_serving()`).
    pub fn is_serving(&self) -> bool {
        !self.accept_loop.is_finished()
    }

    /// Waits until the server is closed and every connection's handler has finished
    /// (asyncio 3.12's `wait_closed()`). It does not close the server itself.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future changes nothing; call it again to keep waiting.
    pub async fn wait_closed(&self) {
        self.shared.drained.wait().await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close();
    }
}

/// Counts one handler in `live` for as long as it lives (rule 3).
struct LiveHandler(Arc<Shared>);

impl LiveHandler {
    fn new(shared: &Arc<Shared>) -> LiveHandler {
        shared.live.fetch_add(1, SeqCst);
        LiveHandler(shared.clone())
    }
}

impl Drop for LiveHandler {
    fn drop(&mut self) {
        if self.0.live.fetch_sub(1, SeqCst) == 1 && self.0.stopped.load(SeqCst) {
            self.0.drained.set();
        }
    }
}

/// Marks the loop stopped however it ends — returned, cancelled or shut down — and
/// sets `drained` if no handler runs (rule 3).
struct StopOnDrop(Arc<Shared>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stopped.store(true, SeqCst);
        if self.0.live.load(SeqCst) == 0 {
            self.0.drained.set();
        }
    }
}

async fn accept_loop<H, F>(listener: Arc<TcpListener>, handler: H, shared: Arc<Shared>)
where
    H: Fn(BufReader<OwnedReadHalf>, OwnedWriteHalf) -> F + Send + Sync + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    let _stop = StopOnDrop(shared.clone());
    let mut backoff = FIRST_BACKOFF;
    while !shared.stopping.load(SeqCst) {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                backoff = FIRST_BACKOFF;
                let live = LiveHandler::new(&shared);
                let (read, write) = stream.into_split();
                let connection = handler(BufReader::new(read), write);
                drop(crate::spawn(async move {
                    let _live = live;
                    // A handler's error ends its own connection only.
                    let _ = connection.await;
                }));
            }
            Err(err) if RuntimeShutdown::is(&err) => return,
            Err(err) if is_out_of_resources(&err) => {
                sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(_) => crate::yield_now().await,
        }
    }
}

/// Errors that mean "not now" rather than "not this connection" (rule 2).
fn is_out_of_resources(err: &io::Error) -> bool {
    const EMFILE: i32 = 24;
    const ENFILE: i32 = 23;
    const ENOBUFS: i32 = 105;
    const ENOMEM: i32 = 12;
    matches!(err.raw_os_error(), Some(EMFILE | ENFILE | ENOBUFS | ENOMEM))
        || err.kind() == io::ErrorKind::OutOfMemory
}
