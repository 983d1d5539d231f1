//! What several integration tests need: a drop counter, a latch to wait on, a paused
//! runtime, a single poll, and certificates made at test time (`certs`).
//!
//! Each test file that uses it says `mod support;`; not every file uses every item.
#![allow(dead_code)]

pub(crate) mod certs;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Counts its drops into a shared counter.
pub(crate) struct DropCounter(pub(crate) Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// A one-way gate: `open` from anywhere, `wait().await` in a task. Lets a test wait
/// for "that task has reached this line" without sleeping.
#[derive(Clone, Default)]
pub(crate) struct Latch(Arc<LatchInner>);

#[derive(Default)]
pub(crate) struct LatchInner {
    open: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

impl Latch {
    pub(crate) fn new() -> Latch {
        Latch::default()
    }

    pub(crate) fn open(&self) {
        self.0.open.store(true, SeqCst);
        let wakers = std::mem::take(&mut *self.0.wakers.lock().unwrap());
        for w in wakers {
            w.wake();
        }
    }

    pub(crate) fn is_open(&self) -> bool {
        self.0.open.load(SeqCst)
    }

    pub(crate) fn wait(&self) -> LatchWait {
        LatchWait(self.clone())
    }
}

/// The future of [`Latch::wait`].
pub(crate) struct LatchWait(Latch);

impl Future for LatchWait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let inner = &(self.0).0;
        if inner.open.load(SeqCst) {
            return Poll::Ready(());
        }
        inner.wakers.lock().unwrap().push(cx.waker().clone());
        // Re-check after registering: an `open` in between took the old list.
        if inner.open.load(SeqCst) {
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

/// A directory of its own under the system's temp directory, removed with everything
/// in it when dropped.
pub(crate) struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    /// A new, empty directory whose name holds `name`, the process id and a counter.
    pub(crate) fn new(name: &str) -> ScratchDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "weft-test-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a scratch directory");
        ScratchDir(path)
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }

    /// `name` inside the directory.
    pub(crate) fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Polls `fut` once on this thread with a waker that does nothing, outside any
/// runtime: `Some(output)` if it was ready.
pub(crate) fn poll_outside_runtime<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// A current-thread runtime with a paused clock (see `Builder::start_paused`).
pub(crate) fn paused_runtime() -> weft::Runtime {
    weft::Runtime::builder()
        .current_thread()
        .start_paused(true)
        .build()
        .unwrap()
}

/// Polls `fut` once: `Some(output)` if it was ready, `None` if it is pending.
pub(crate) async fn poll_once<F: Future + Unpin>(mut fut: F) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        Poll::Ready(match Pin::new(&mut fut).poll(cx) {
            Poll::Ready(v) => Some(v),
            Poll::Pending => None,
        })
    })
    .await
}

/// Spawns the future `make` builds around a fresh latch, and returns once the task has
/// opened it ("the task has reached that line").
pub(crate) async fn spawn_started<F, Fut>(make: F) -> weft::Task<Fut::Output>
where
    F: FnOnce(Latch) -> Fut,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    let started = Latch::new();
    let task = weft::spawn(make(started.clone()));
    started.wait().await;
    task
}

/// Asserts that `wait_closed` on a closed `server` stays pending while `held` — a
/// client connection whose handler still runs — is open, and returns once it is
/// dropped (the handler then reads EOF and ends).
pub(crate) async fn wait_closed_waits_for_the_handler<A, T>(
    server: &weft::net::Server<A>,
    held: T,
) {
    let mut waiting = std::pin::pin!(server.wait_closed());
    assert!(
        poll_once(waiting.as_mut()).await.is_none(),
        "returned with a handler live"
    );
    drop(held);
    waiting.await;
}

/// A multi-thread runtime with two workers.
pub(crate) fn multi_thread_runtime() -> weft::Runtime {
    weft::Runtime::builder().worker_threads(2).build().unwrap()
}

/// Fails the test instead of hanging it: a bound that no loaded machine reaches when
/// the code is right, for tests that wait on nothing but local sockets and tasks.
pub(crate) async fn within<F: Future>(fut: F) -> F::Output {
    weft::time::timeout(std::time::Duration::from_secs(60), fut)
        .await
        .expect("hung: the test did not finish within 60 s")
}

/// A connected pair of TCP streams on 127.0.0.1: the client's and the accepted one.
pub(crate) async fn tcp_pair() -> (weft::net::TcpStream, weft::net::TcpStream) {
    let listener = weft::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    // The kernel completes the connection into the backlog; accept then finds it.
    let client = weft::net::TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    (client, listener.accept().await.unwrap().0)
}
