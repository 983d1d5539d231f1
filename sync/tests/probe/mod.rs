//! Polling futures by hand, with a waker that counts its wakes: how the tests
//! state "polled once, woken, dropped" without an executor in the way.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// A waker that counts how often it was woken.
pub(crate) struct Probe {
    count: Arc<Count>,
    waker: Waker,
}

struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

impl Probe {
    pub(crate) fn new() -> Self {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        Probe { count, waker }
    }

    /// How many times the waker was woken so far.
    pub(crate) fn wakes(&self) -> usize {
        self.count.0.load(SeqCst)
    }

    /// Polls `fut` once with this probe's waker.
    pub(crate) fn poll<F: Future + ?Sized>(&self, fut: Pin<&mut F>) -> Poll<F::Output> {
        fut.poll(&mut Context::from_waker(&self.waker))
    }

    /// Polls `fut` once and insists it is still pending.
    pub(crate) fn pending<F: Future + ?Sized>(&self, fut: Pin<&mut F>) {
        assert!(
            self.poll(fut).is_pending(),
            "expected the future to be pending"
        );
    }

    /// Polls `fut` once and insists it is ready, returning its output.
    pub(crate) fn ready<F: Future + ?Sized>(&self, fut: Pin<&mut F>) -> F::Output {
        match self.poll(fut) {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("expected the future to be ready"),
        }
    }
}

/// A boxed, pinned future: what the tests poll by hand and drop at will.
pub(crate) type Task<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Boxes and pins `fut`.
pub(crate) fn task<'a, F: Future + 'a>(fut: F) -> Task<'a, F::Output> {
    Box::pin(fut)
}

/// A deterministic pseudo-random sequence (xorshift), for "random" timeouts
/// that are the same on every run.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Whether the test runs under Miri (sizes shrink there).
pub(crate) const MIRI: bool = cfg!(miri);

/// Boxes `fut`, polls it once with a fresh probe, insists it is pending, and
/// returns both: a waiter parked in its queue.
pub(crate) fn parked<'a, F: Future + 'a>(fut: F) -> (Task<'a, F::Output>, Probe) {
    let mut fut = task(fut);
    let probe = Probe::new();
    probe.pending(fut.as_mut());
    (fut, probe)
}

/// `n` waiters made by `make(i)`, parked in order.
pub(crate) fn parked_n<'a, T>(
    n: usize,
    make: impl FnMut(usize) -> Task<'a, T>,
) -> (Vec<Task<'a, T>>, Vec<Probe>) {
    (0..n).map(make).map(parked_task).unzip()
}

fn parked_task<T>(mut fut: Task<'_, T>) -> (Task<'_, T>, Probe) {
    let probe = Probe::new();
    probe.pending(fut.as_mut());
    (fut, probe)
}

/// A waker that runs `action` on its first wake: it runs exactly where a
/// primitive wakes — after releasing its lock, between batches of wakes.
pub(crate) fn on_wake(action: impl FnOnce() + Send + 'static) -> Waker {
    struct OnWake(std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>);
    impl Wake for OnWake {
        fn wake(self: Arc<Self>) {
            let action = self.0.lock().unwrap().take();
            if let Some(action) = action {
                action();
            }
        }
    }
    Waker::from(Arc::new(OnWake(std::sync::Mutex::new(Some(Box::new(
        action,
    ))))))
}

/// Polls `fut` once with `waker`.
pub(crate) fn poll_with<F: Future + ?Sized>(waker: &Waker, fut: Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}
