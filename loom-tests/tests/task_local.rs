//! loom: a local task (`scheduler/local.rs`) woken from another thread while its owner
//! runs and parks — the wake comes home (rule 2): the task is polled again, only ever
//! on the owner thread, and finishes; nothing is lost whether the wake lands before,
//! during or after the owner's look at its queues.
#![cfg(weft_loom)]

mod task_probe;

use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use loom::thread;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use task_probe::{gated, Gate, Watch};
use weft::__loom::local::ModelLocal;

/// Unparks the owner thread, as a worker's or `block_on`'s parker would.
struct UnparkOwner(thread::Thread);

impl Wake for UnparkOwner {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Fails the model if polled on any thread but `owner`.
struct OnlyOn<F> {
    owner: thread::ThreadId,
    inner: F,
}

impl<F: Future + Unpin> Future for OnlyOn<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        assert_eq!(thread::current().id(), self.owner, "polled off its thread");
        Pin::new(&mut self.inner).poll(cx)
    }
}

#[test]
fn a_wake_from_another_thread_reaches_the_owner_and_the_task_runs_there() {
    loom::model(|| {
        let local = ModelLocal::enter(Waker::from(Arc::new(UnparkOwner(thread::current()))));
        let gate = Gate::new();
        let watch = Watch::new();
        let task = local.spawn(OnlyOn {
            owner: thread::current().id(),
            inner: gated(&gate, &watch),
        });
        assert_eq!(local.run_ready(), 1); // pending on the gate
        let opener = thread::spawn({
            let gate = gate.clone();
            move || gate.open()
        });
        // The owner's loop: run what is ready, park when nothing is.
        while !task.is_finished() {
            if local.run_ready() == 0 && !local.has_work() {
                thread::park();
            }
        }
        opener.join().unwrap();
        assert_eq!(watch.future_drops(), 1);
        drop(task);
        local.shutdown();
    });
}

#[test]
fn a_task_cancelled_from_another_thread_is_dropped_on_the_owner() {
    loom::model(|| {
        let local = ModelLocal::enter(Waker::from(Arc::new(UnparkOwner(thread::current()))));
        let dropped_off_thread = Arc::new(AtomicBool::new(false));
        struct Guard(thread::ThreadId, Arc<AtomicBool>);
        impl Drop for Guard {
            fn drop(&mut self) {
                if thread::current().id() != self.0 {
                    self.1.store(true, SeqCst);
                }
            }
        }
        let guard = Guard(thread::current().id(), dropped_off_thread.clone());
        let task = local.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await
        });
        assert_eq!(local.run_ready(), 1);
        let canceller = thread::spawn({
            let current = weft::__loom::local::remote_cancel(&task);
            move || current.cancel()
        });
        while !task.is_finished() {
            if local.run_ready() == 0 && !local.has_work() {
                thread::park();
            }
        }
        canceller.join().unwrap();
        assert!(!dropped_off_thread.load(SeqCst));
        local.shutdown();
    });
}
