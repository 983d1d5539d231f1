//! `shield`: protect work from the cancellation of whoever awaits it (asyncio's
//! `shield`).

use crate::task::{Task, TaskError};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs `future` as a task of its own and awaits it, such that cancelling the await —
/// dropping it, or a region catching a cancellation around it — leaves the task running
/// (asyncio's `shield`). Await the [`Shield`] again, or [`into_task`](Shield::into_task),
/// to get the result later.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, timeout};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let mut work = weft::shield(async { sleep(Duration::from_secs(5)).await; "saved" });
///     // The waiter gives up after a second; the shielded work goes on.
///     assert!(timeout(Duration::from_secs(1), &mut work).await.is_err());
///     assert_eq!(work.await.unwrap(), "saved");
/// });
/// ```
///
/// # Cancel safety
///
/// Cancel safe awaited by reference (`&mut shield`): dropping that await leaves the
/// work running and the result for the next await — which is what `shield` is for.
/// Dropping the `Shield` itself detaches the work: it runs on, its result unseen.
///
/// # Panics
///
/// Outside a weft runtime (it spawns).
#[track_caller]
pub fn shield<F>(future: F) -> Shield<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Shield {
        task: crate::spawn(future),
    }
}

/// The future of [`shield`]: a `Task` whose await cancels nothing.
#[derive(Debug)]
#[must_use = "dropping a Shield detaches the work: it runs on, its result unseen"]
pub struct Shield<T> {
    task: Task<T>,
}

impl<T> Shield<T> {
    /// The task running the shielded work.
    ///
    /// # Cancel safety
    ///
    /// As for [`Task`].
    pub fn into_task(self) -> Task<T> {
        self.task
    }
}

impl<T> Future for Shield<T> {
    type Output = Result<T, TaskError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.task).poll(cx)
    }
}
