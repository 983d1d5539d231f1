//! Polling by hand inside loom models: one poll with a waker that counts, so a
//! model can say "polled once (queued), then dropped".
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// A waker that counts its wakes (with a loom atomic, so the model sees it).
pub(crate) struct Probe(AtomicUsize);

impl Wake for Probe {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

impl Probe {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Probe(AtomicUsize::new(0)))
    }

    pub(crate) fn wakes(&self) -> usize {
        self.0.load(SeqCst)
    }

    /// Polls `fut` once with this probe as the waker.
    pub(crate) fn poll<F: Future + ?Sized>(self: &Arc<Self>, fut: Pin<&mut F>) -> Poll<F::Output> {
        let waker = Waker::from(self.clone());
        fut.poll(&mut Context::from_waker(&waker))
    }
}

/// A boxed, pinned, sendable future: moved into a model thread to be dropped there.
pub(crate) type Task<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Polls `fut` once on this thread and insists it is pending (it is queued).
pub(crate) fn queued<T>(fut: impl Future<Output = T> + Send + 'static) -> Task<T> {
    let mut fut: Task<T> = Box::pin(fut);
    assert!(
        Probe::new().poll(fut.as_mut()).is_pending(),
        "expected to queue"
    );
    fut
}
