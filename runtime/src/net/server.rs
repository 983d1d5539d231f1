//! `start_server` and `start_unix_server`: asyncio's accept loops that spawn a handler
//! per connection, on a TCP or a Unix-domain listener.
//!
//! # Rules
//!
//! 1. The accept loop runs as its own task until [`Server::close`] (or the `Server`'s
//!    drop) stops it. `close` shuts the listening socket down at once, as asyncio's
//!    closes it: from that moment connections are refused, not left in the backlog;
//!    the loop sees `stopping` and ends, and is cancelled besides. Only the first
//!    `close` does anything.
//! 2. An accept error never ends the loop, except the runtime's shutdown and `close`:
//!    [`AcceptBackoff`] decides — running out of descriptors or memory backs off and
//!    retries, so the server keeps serving once descriptors are freed; other errors
//!    (a connection reset before it was accepted) retry after a yield, so that no
//!    error can spin the loop.
//! 3. Each connection runs its handler in a task of its own. `live` counts the
//!    handlers. `drained` is set once the loop has stopped *and* no handler runs, by
//!    whichever of the two happens last: the loop's end sets `stopped` then reads
//!    `live`; a handler's end decrements `live` then reads `stopped` (all SeqCst), so at
//!    least one of them sees both. [`Server::wait_closed`] waits for it. The loop's end
//!    and each handler's are guards that exist before their task is spawned, so a
//!    task cancelled before its first poll still counts as ended.
//! 5. `close` also lets go of the `Server`'s own reference to the listener, so the
//!    listening socket is closed and deregistered once the loop's future is dropped;
//!    [`Server::wait_closed`] returns only after that and after the loop's task has
//!    finished (a done-callback sets `loop_finished`, once the task has left
//!    `task::all()`), besides `drained`.
//! 4. A Unix server owns its socket file, as asyncio 3.13's does: binding first
//!    removes a *socket* file left at the path (never any other kind of file), and
//!    `close` removes the file again, unless it is no longer the one bound (same
//!    device and inode), so a server started since at that path keeps its file.

use super::AcceptBackoff;
use crate::loom::Mutex;
use crate::sync::Event;
use crate::task::Task;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use weft_io::io::BufReader;
use weft_io::net::{
    OwnedReadHalf, OwnedWriteHalf, SplitStream, TcpListener, TcpStream, ToSocketAddrs,
    UnixListener, UnixStream,
};

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
    serve_tcp(addr, Plain(handler)).await
}

/// Listens on `addr` and runs `serve` for every connection: [`start_server`], and its
/// TLS form.
pub(super) async fn serve_tcp(
    addr: impl ToSocketAddrs,
    serve: impl Serve<TcpStream>,
) -> io::Result<Server> {
    let listener = Arc::new(TcpListener::bind(addr).await?);
    let local_addr = listener.local_addr()?;
    Ok(Server::serve(
        local_addr,
        listener.clone(),
        Listening::Tcp(listener),
        serve,
    ))
}

/// Listens on the Unix-domain socket file `path` and runs `handler(reader, writer)` in
/// a task of its own for every connection (asyncio's `start_unix_server`).
///
/// As [`start_server`], over Unix streams. The server owns its socket file (rule 4): a
/// socket file already at `path` — one a crashed server left, or even one a running
/// server listens on, as asyncio does — is removed first, and
/// [`close`](Server::close) (or dropping the server) removes the file again, unless
/// another server has bound that path since (asyncio 3.13's `cleanup_socket`).
///
/// ```
/// use weft::io::AsyncWriteExt;
///
/// weft::run(async {
///     let path = std::env::temp_dir().join(format!("weft-doc-{}.sock", std::process::id()));
///     let server = weft::net::start_unix_server(&path, |mut reader, mut writer| async move {
///         let mut line = String::new();
///         reader.read_line(&mut line).await?;
///         writer.write_all(line.as_bytes()).await
///     })
///     .await?;
///
///     let (mut reader, mut writer) = weft::net::open_unix_connection(&path).await?;
///     writer.write_all(b"hello\n").await?;
///     let mut echoed = String::new();
///     reader.read_line(&mut echoed).await?;
///     assert_eq!(echoed, "hello\n");
///
///     server.close(); // also removes the socket file
///     assert!(!path.exists());
///     std::io::Result::Ok(())
/// })
/// .unwrap();
/// ```
///
/// # Errors
///
/// `AddrInUse` when something other than a socket file is at `path` (it is left as it
/// is); the OS's error for a path it cannot bind (a missing directory, no permission,
/// a path too long for a socket address).
///
/// # Cancel safety
///
/// The future binds at its first poll and completes there: it is never dropped
/// half-way.
///
/// # Panics
///
/// Outside a weft runtime (it spawns tasks on the current one).
pub async fn start_unix_server<P, H, F>(path: P, handler: H) -> io::Result<UnixServer>
where
    P: AsRef<Path>,
    H: Fn(BufReader<OwnedReadHalf<UnixStream>>, OwnedWriteHalf<UnixStream>) -> F
        + Send
        + Sync
        + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    let path = path.as_ref();
    remove_stale_socket(path)?;
    let listener = Arc::new(UnixListener::bind(path)?);
    let local_addr = listener.local_addr()?;
    // The file to remove on close; an abstract address (no file) has nothing to stat.
    let file = std::fs::symlink_metadata(path)
        .ok()
        .map(|bound| SocketFile {
            path: path.to_owned(),
            device: bound.dev(),
            inode: bound.ino(),
        });
    Ok(Server::serve(
        local_addr,
        listener.clone(),
        Listening::Unix(listener, file),
        Plain(handler),
    ))
}

/// Removes a socket file at `path` before binding (rule 4). Anything else there, or
/// nothing, is left for `bind` to report.
fn remove_stale_socket(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => match std::fs::remove_file(path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A socket file a Unix server bound, and how to tell it is still the same file.
#[derive(Debug)]
struct SocketFile {
    path: PathBuf,
    device: u64,
    inode: u64,
}

impl SocketFile {
    /// Removes the file if it is still the one bound (rule 4). Nothing to report to:
    /// a file already gone or not removable stays as it is, as asyncio leaves it.
    fn remove(&self) {
        let Ok(now) = std::fs::symlink_metadata(&self.path) else {
            return;
        };
        if now.dev() == self.device && now.ino() == self.inode {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The listening socket a [`Server`] closes.
#[derive(Debug)]
enum Listening {
    Tcp(Arc<TcpListener>),
    Unix(Arc<UnixListener>, Option<SocketFile>),
}

impl Listening {
    /// Refuses connections from now on (rule 1) and gives the socket file back
    /// (rule 4).
    fn close(&self) {
        // An error means the socket is already shut: nothing changes.
        let _ = match self {
            Listening::Tcp(listener) => socket2::SockRef::from(&**listener),
            Listening::Unix(listener, _) => socket2::SockRef::from(&**listener),
        }
        .shutdown(std::net::Shutdown::Both);
        if let Listening::Unix(_, Some(file)) = self {
            file.remove();
        }
    }
}

/// What `start_server` and `start_unix_server` accept as a handler of connections
/// over `S`: the bounds of their `H` and `F`, named once for the private functions.
trait Handler<S: SplitStream>:
    Fn(BufReader<OwnedReadHalf<S>>, OwnedWriteHalf<S>) -> Self::Connection + Send + Sync + 'static
{
    type Connection: Future<Output = io::Result<()>> + Send + 'static;
}

impl<S, H, F> Handler<S> for H
where
    S: SplitStream,
    H: Fn(BufReader<OwnedReadHalf<S>>, OwnedWriteHalf<S>) -> F + Send + Sync + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    type Connection = F;
}

/// What the accept loop needs of a listener: connections.
trait Accept: Send + Sync + 'static {
    type Stream: Send + 'static;

    fn accept_stream(&self) -> impl Future<Output = io::Result<Self::Stream>> + Send;
}

impl Accept for TcpListener {
    type Stream = TcpStream;

    async fn accept_stream(&self) -> io::Result<TcpStream> {
        Ok(self.accept().await?.0)
    }
}

impl Accept for UnixListener {
    type Stream = UnixStream;

    async fn accept_stream(&self) -> io::Result<UnixStream> {
        Ok(self.accept().await?.0)
    }
}

/// What the accept loop does with each connection: `serve` starts the work that runs
/// in the connection's own task (rule 3). It is called in the loop, so it must not
/// wait; anything that waits (a TLS handshake) goes inside the returned future.
pub(super) trait Serve<S>: Send + Sync + 'static {
    fn serve(&self, stream: S) -> impl Future<Output = io::Result<()>> + Send + 'static;
}

/// A plain server's connections: split in two and handed to the handler.
struct Plain<H>(H);

impl<S: SplitStream, H: Handler<S>> Serve<S> for Plain<H> {
    fn serve(&self, stream: S) -> impl Future<Output = io::Result<()>> + Send + 'static {
        let (read, write) = SplitStream::into_split(stream);
        (self.0)(BufReader::new(read), write)
    }
}

/// A running Unix-domain server; see [`start_unix_server`].
pub type UnixServer = Server<std::os::unix::net::SocketAddr>;

/// A running server; see [`start_server`] and [`start_unix_server`]. Dropping it
/// closes it (as [`close`](Server::close) does) without waiting for its connections.
///
/// `A` is the type of its address: [`SocketAddr`] for TCP, a Unix
/// [`SocketAddr`](std::os::unix::net::SocketAddr) for a [`UnixServer`].
#[must_use = "dropping the Server closes it at once"]
pub struct Server<A = SocketAddr> {
    local_addr: A,
    /// Shared with the accept loop, so `close` can shut it down at once (rule 1);
    /// taken by the first `close` (rule 5).
    listening: Mutex<Option<Listening>>,
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
    /// The accept loop's task has finished (rule 5).
    loop_finished: Event,
}

impl<A> Server<A> {
    /// Starts the accept loop on `listener`, which `listening` closes; `serve` runs
    /// each connection.
    fn serve<L: Accept>(
        local_addr: A,
        listener: Arc<L>,
        listening: Listening,
        serve: impl Serve<L::Stream>,
    ) -> Self {
        let shared = Arc::new(Shared {
            live: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            drained: Event::new(),
            loop_finished: Event::new(),
        });
        // The guard is made here, not inside the loop's body: a loop cancelled before
        // its first poll never runs that body, and its drop must still count (rule 3).
        let stop = StopOnDrop(shared.clone());
        let accept_loop = crate::spawn(accept_loop(listener, serve, stop));
        let finished = shared.clone();
        accept_loop.add_done_callback(move |_| finished.loop_finished.set());
        Server {
            local_addr,
            listening: Mutex::new(Some(listening)),
            accept_loop,
            shared,
        }
    }

    /// The address it listens on (useful after binding port 0).
    pub fn local_addr(&self) -> A
    where
        A: Clone,
    {
        self.local_addr.clone()
    }

    /// Stops accepting and closes the listening socket: from now on connections are
    /// refused. Connections already accepted run on (asyncio's `close()`). A Unix
    /// server also removes its socket file (rule 4). Closing again does nothing.
    pub fn close(&self) {
        if self.shared.stopping.swap(true, SeqCst) {
            return;
        }
        let listening = self.listening.lock().take();
        if let Some(listening) = listening {
            listening.close();
        }
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
        self.shared.loop_finished.wait().await;
    }
}

impl<A> Drop for Server<A> {
    fn drop(&mut self) {
        self.close();
    }
}

impl<A: fmt::Debug> fmt::Debug for Server<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("listening", &self.listening)
            .field("accept_loop", &self.accept_loop)
            .field("shared", &self.shared)
            .finish()
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

/// Marks the loop stopped however it ends — returned, cancelled or shut down, even
/// before its first poll — and sets `drained` if no handler runs (rule 3).
struct StopOnDrop(Arc<Shared>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stopped.store(true, SeqCst);
        if self.0.live.load(SeqCst) == 0 {
            self.0.drained.set();
        }
    }
}

/// Accepts until `close` (rule 1); `stop` goes with the loop's future, polled or not.
async fn accept_loop<L: Accept>(listener: Arc<L>, serve: impl Serve<L::Stream>, stop: StopOnDrop) {
    let shared = &stop.0;
    let mut backoff = AcceptBackoff::new();
    while !shared.stopping.load(SeqCst) {
        match listener.accept_stream().await {
            Ok(stream) => {
                backoff.reset();
                let live = LiveHandler::new(shared);
                let connection = serve.serve(stream);
                drop(crate::spawn(async move {
                    let _live = live;
                    // A handler's error ends its own connection only.
                    let _ = connection.await;
                }));
            }
            Err(err) => {
                if backoff.wait(err).await.is_err() {
                    return; // the runtime shut down
                }
            }
        }
    }
}
