//! `yield_now`: give the worker to the other ready tasks once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Yields to the scheduler once: the task goes to the back of the run queue and the
/// other ready tasks run before it resumes (asyncio's `await asyncio.sleep(0)`).
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
///     let o = order.clone();
///     let other = weft::spawn(async move { o.lock().unwrap().push("other") });
///     weft::yield_now().await;
///     order.lock().unwrap().push("after yield");
///     other.await.unwrap();
/// });
/// ```
///
/// # Cancel safety
///
/// Cancel safe: dropping it at any point has no effect beyond not yielding.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
