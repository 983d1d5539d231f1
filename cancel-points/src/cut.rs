//! `Cut`: an operation run up to its drop point.
//!
//! # Rules
//!
//! 1. The operation is polled with a waker of the cut's own, which records a wake and
//!    passes it on to the caller's; so a drop "at the wake" knows the wake came
//!    (crate rule 2).
//! 2. The operation is dropped inside the poll that reaches its point, before `Cut`
//!    returns `Ready(None)`: a scenario that goes on from there sees it gone.

use crate::{At, Record};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// The future of [`DropPoint::run`](crate::DropPoint::run): `Some(output)` if the
/// operation finished, `None` once it was dropped at its point.
#[must_use = "futures do nothing unless awaited"]
pub struct Cut<F> {
    operation: Option<Pin<Box<F>>>,
    after: usize,
    at: At,
    pendings: usize,
    flag: Arc<WakeFlag>,
    record: Arc<Record>,
}

/// Rule 1.
struct WakeFlag {
    woken: AtomicBool,
    caller: Mutex<Option<Waker>>,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, SeqCst);
        let caller = self.caller.lock().unwrap().clone();
        if let Some(caller) = caller {
            caller.wake();
        }
    }
}

impl<F: Future> Cut<F> {
    pub(crate) fn new(operation: F, after: usize, at: At, record: Arc<Record>) -> Cut<F> {
        Cut {
            operation: Some(Box::pin(operation)),
            after,
            at,
            pendings: 0,
            flag: Arc::new(WakeFlag {
                woken: AtomicBool::new(false),
                caller: Mutex::new(None),
            }),
            record,
        }
    }

    /// Rule 2.
    fn drop_operation(&mut self) -> Poll<Option<F::Output>> {
        self.operation = None;
        self.record.dropped.store(true, SeqCst);
        Poll::Ready(None)
    }
}

// The operation is boxed: nothing of a `Cut` is pinned in place.
impl<F> Unpin for Cut<F> {}

impl<F: Future> Future for Cut<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(operation) = this.operation.as_mut() else {
            panic!("`Cut` polled after it completed");
        };
        *this.flag.caller.lock().unwrap() = Some(cx.waker().clone());
        if this.after == 0 {
            return this.drop_operation();
        }
        if this.pendings == this.after {
            // At::Wake, waiting for the wake after the last Pending (rule 1).
            return if this.flag.woken.load(SeqCst) {
                this.drop_operation()
            } else {
                Poll::Pending
            };
        }
        this.flag.woken.store(false, SeqCst);
        let waker = Waker::from(this.flag.clone());
        match operation.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(output) => {
                this.operation = None;
                this.record.finished.store(true, SeqCst);
                this.record.pendings.store(this.pendings, SeqCst);
                Poll::Ready(Some(output))
            }
            Poll::Pending => {
                this.pendings += 1;
                if this.pendings < this.after {
                    return Poll::Pending;
                }
                match this.at {
                    At::Pending => this.drop_operation(),
                    At::Wake if this.flag.woken.load(SeqCst) => this.drop_operation(),
                    At::Wake => Poll::Pending,
                }
            }
        }
    }
}
