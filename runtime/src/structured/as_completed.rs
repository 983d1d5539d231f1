//! `as_completed`: a stream of results in the order the tasks finish (asyncio's
//! `as_completed`).

use super::finish_order::FinishOrder;
use super::gather::take_finished;
use crate::task::{Task, TaskError};
use crate::time::{Elapsed, Instant, Sleep};
use futures_core::Stream;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A stream of the tasks' results, in the order they finish (asyncio's
/// `as_completed`). It cancels nothing; dropping it detaches the tasks left.
///
/// ```
/// use std::time::Duration;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let tasks = [30u64, 10, 20].map(|ms| weft::spawn(async move {
///         weft::time::sleep(Duration::from_millis(ms)).await;
///         ms
///     }));
///     let mut results = weft::as_completed(tasks);
///     let mut order = Vec::new();
///     while let Some(result) = results.next_completed().await {
///         order.push(result.unwrap());
///     }
///     assert_eq!(order, [10, 20, 30]);
/// });
/// ```
pub fn as_completed<T>(tasks: impl IntoIterator<Item = Task<T>>) -> AsCompleted<T> {
    AsCompleted {
        order: FinishOrder::new(tasks.into_iter().collect()),
    }
}

/// The stream of [`as_completed`].
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<T> {
    order: FinishOrder<T>,
}

impl<T> AsCompleted<T> {
    /// The next result to come, or `None` once every task's has.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future loses nothing: the next call returns the same result.
    pub fn next_completed(&mut self) -> impl Future<Output = Option<Result<T, TaskError>>> + '_ {
        poll_fn(|cx| self.poll_result(cx))
    }

    /// Ends after `duration` at the latest (asyncio's `timeout=`): the stream then
    /// yields `Err(Elapsed)` once and ends; the tasks not finished keep running
    /// ([`AsCompletedWithin::into_remaining`]).
    pub fn timeout(self, duration: Duration) -> AsCompletedWithin<T> {
        AsCompletedWithin {
            inner: self,
            deadline: Sleep::new(Instant::now().checked_add(duration)),
            timed_out: false,
        }
    }

    fn poll_result(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, TaskError>>> {
        loop {
            match self.order.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(index)) => {
                    if let Some(mut task) = self.order.take(index) {
                        return Poll::Ready(Some(take_finished(&mut task)));
                    }
                }
            }
        }
    }
}

impl<T> Stream for AsCompleted<T> {
    type Item = Result<T, TaskError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_result(cx)
    }
}

/// [`AsCompleted`] with a deadline; see [`AsCompleted::timeout`].
#[must_use = "streams do nothing unless polled"]
pub struct AsCompletedWithin<T> {
    inner: AsCompleted<T>,
    deadline: Sleep,
    timed_out: bool,
}

impl<T> AsCompletedWithin<T> {
    /// The next result, `Err(Elapsed)` once at the deadline, then `None`.
    ///
    /// # Cancel safety
    ///
    /// As for [`AsCompleted::next_completed`].
    pub fn next_completed(
        &mut self,
    ) -> impl Future<Output = Option<Result<Result<T, TaskError>, Elapsed>>> + '_ {
        poll_fn(|cx| self.poll_result(cx))
    }

    /// The tasks that had not finished, still running.
    pub fn into_remaining(mut self) -> Vec<Task<T>> {
        self.inner.order.take_unreported()
    }

    fn poll_result(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Result<T, TaskError>, Elapsed>>> {
        if self.timed_out {
            return Poll::Ready(None);
        }
        if let Poll::Ready(result) = self.inner.poll_result(cx) {
            return Poll::Ready(result.map(Ok));
        }
        if self.deadline.poll_deadline(cx).is_ready() {
            self.timed_out = true;
            return Poll::Ready(Some(Err(Elapsed::new())));
        }
        Poll::Pending
    }
}

impl<T> Stream for AsCompletedWithin<T> {
    type Item = Result<Result<T, TaskError>, Elapsed>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_result(cx)
    }
}

impl<T> fmt::Debug for AsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("tasks", &self.order.len())
            .finish()
    }
}

impl<T> fmt::Debug for AsCompletedWithin<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompletedWithin")
            .field("inner", &self.inner)
            .field("timed_out", &self.timed_out)
            .finish()
    }
}
