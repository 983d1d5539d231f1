//! Futures for the task-state models: pending until a gate opens, checking that no two
//! threads poll them at once, counting their drops and their output's, and holding a
//! loom `Arc` so that a task never freed shows up as a leak.
#![allow(dead_code)]

use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use loom::sync::Mutex;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use weft::__loom::task::ModelScheduler;

/// Opened from any thread; wakes the future waiting on it.
#[derive(Default)]
pub(crate) struct Gate {
    open: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Gate {
    pub(crate) fn new() -> Arc<Gate> {
        Arc::new(Gate::default())
    }

    /// Opens the gate and wakes whoever polled it last.
    pub(crate) fn open(&self) {
        self.open.store(true, SeqCst);
        self.wake();
    }

    /// Wakes whoever polled it last, without opening.
    pub(crate) fn wake(&self) {
        let waker = self.waker.lock().unwrap().clone();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Counts drops.
#[derive(Debug)]
pub(crate) struct Counted(pub(crate) Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// What a model watches.
#[derive(Default)]
pub(crate) struct Watch {
    pub(crate) in_poll: AtomicUsize,
    pub(crate) future_drops: Arc<AtomicUsize>,
    pub(crate) output_drops: Arc<AtomicUsize>,
}

impl Watch {
    pub(crate) fn new() -> Arc<Watch> {
        Arc::new(Watch::default())
    }

    pub(crate) fn future_drops(&self) -> usize {
        self.future_drops.load(SeqCst)
    }

    pub(crate) fn output_drops(&self) -> usize {
        self.output_drops.load(SeqCst)
    }
}

/// Pending until `gate` opens, then ready with a `Counted` output.
pub(crate) struct Gated {
    gate: Arc<Gate>,
    watch: Arc<Watch>,
    _dropped: Counted,
    _leak_probe: loom::sync::Arc<()>,
}

pub(crate) fn gated(gate: &Arc<Gate>, watch: &Arc<Watch>) -> Gated {
    Gated {
        gate: gate.clone(),
        watch: watch.clone(),
        _dropped: Counted(watch.future_drops.clone()),
        _leak_probe: loom::sync::Arc::new(()),
    }
}

impl Future for Gated {
    type Output = Counted;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Counted> {
        assert_eq!(
            self.watch.in_poll.fetch_add(1, SeqCst),
            0,
            "polled by two threads at once"
        );
        *self.gate.waker.lock().unwrap() = Some(cx.waker().clone());
        let ready = self.gate.open.load(SeqCst);
        self.watch.in_poll.fetch_sub(1, SeqCst);
        if ready {
            Poll::Ready(Counted(self.watch.output_drops.clone()))
        } else {
            Poll::Pending
        }
    }
}

/// Cancels `task` while one thread wakes it through `gate` with nothing ready and
/// another runs the queue, then runs whatever that left queued.
pub(crate) fn cancel_racing_a_wake<T>(
    scheduler: &Arc<ModelScheduler>,
    gate: &Arc<Gate>,
    task: &weft::Task<T>,
) {
    let waker = loom::thread::spawn({
        let gate = gate.clone();
        move || gate.wake()
    });
    let runner = loom::thread::spawn({
        let scheduler = scheduler.clone();
        move || {
            scheduler.run_queued();
        }
    });
    assert!(task.cancel());
    waker.join().unwrap();
    runner.join().unwrap();
    scheduler.run_queued();
}
