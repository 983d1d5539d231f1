//! A one-thread test executor that turns a `weft_io::Reactor`, standing in for the
//! runtime: async-executor's `LocalExecutor` runs many tasks on this thread, and
//! `block_on` parks in `Reactor::turn` whenever nothing is runnable.
//!
//! The waker sets a flag and unparks the reactor, so a wake from any thread (the
//! reactor's own deliveries, a resolver thread) ends a blocked turn.

#![allow(dead_code)]

use async_executor::LocalExecutor;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;
use weft_io::{Reactor, ReactorHandle};

/// The executor tests spawn their tasks on.
pub(crate) type Executor = Rc<LocalExecutor<'static>>;

struct Notify {
    woken: AtomicBool,
    reactor: ReactorHandle,
}

impl Wake for Notify {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.reactor.unpark();
    }
}

/// Runs `test` on a fresh reactor, entered on this thread, with an executor for its
/// tasks; returns the output of the future `test` returns.
pub(crate) fn run<F, Fut>(test: F) -> Fut::Output
where
    F: FnOnce(Executor) -> Fut,
    Fut: Future,
{
    run_with_reactor(|executor, _reactor| test(executor))
}

/// As [`run`], also handing `test` the reactor's handle (to shut it down, say).
pub(crate) fn run_with_reactor<F, Fut>(test: F) -> Fut::Output
where
    F: FnOnce(Executor, ReactorHandle) -> Fut,
    Fut: Future,
{
    let mut reactor = Reactor::new().expect("a reactor");
    let _entered = reactor.handle().enter();
    let executor: Executor = Rc::new(LocalExecutor::new());
    let future = executor.run(test(executor.clone(), reactor.handle()));
    block_on(&mut reactor, future)
}

/// Polls `future` to completion, turning `reactor` while nothing is runnable.
pub(crate) fn block_on<F: Future>(reactor: &mut Reactor, future: F) -> F::Output {
    let notify = Arc::new(Notify {
        woken: AtomicBool::new(false),
        reactor: reactor.handle(),
    });
    let waker = Waker::from(notify.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        notify.woken.store(false, Ordering::SeqCst);
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // Woken meanwhile: look at I/O without blocking, then poll again. Otherwise
        // block until an event or an unpark (a wake from another thread).
        let timeout = notify
            .woken
            .load(Ordering::SeqCst)
            .then_some(Duration::ZERO);
        reactor.turn(timeout).expect("the reactor turns");
    }
}

/// [`run`] on a thread of its own, failing the test if it has not finished within
/// `limit`: for tests whose bug would be a poll that never returns (a livelock), so
/// that the bug shows as a failure instead of a hung test run.
pub(crate) fn run_within<F, Fut>(limit: Duration, test: F) -> Fut::Output
where
    F: FnOnce(Executor) -> Fut + Send + 'static,
    Fut: Future,
    Fut::Output: Send + 'static,
{
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // A send error means the test already failed on time: nothing to tell.
        let _ = done.send(run(test));
    });
    match finished.recv_timeout(limit) {
        Ok(output) => output,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {limit:?}: a poll that never returns?")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the test thread panicked (its message is above)")
        }
    }
}
