//! `wait`: wait for some or all of a set of tasks, never cancelling the rest
//! (asyncio's `asyncio.wait`).

use super::finish_order::FinishOrder;
use crate::task::{Task, TaskOutcome};
use crate::time::{Instant, Sleep};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// When [`wait`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any task finishes.
    FirstCompleted,
    /// As soon as any task panics or fails (a cancelled task does not count, as in
    /// asyncio), or when all have finished.
    FirstException,
    /// When every task has finished.
    AllCompleted,
}

/// [`wait`] was given no task to wait for (asyncio raises `ValueError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitError(());

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("wait was given an empty set of tasks")
    }
}

impl std::error::Error for WaitError {}

/// Waits until `when` holds for `tasks`, or the timeout set with
/// [`Wait::timeout`] passes, and resolves to `(done, pending)`: the finished tasks
/// (await them for their results, at once) and the others, which keep running —
/// `wait` never cancels anything.
///
/// ```
/// use std::time::Duration;
/// use weft::ReturnWhen;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let quick = weft::spawn(async { 1 });
///     let slow = weft::spawn(async { weft::time::sleep(Duration::from_secs(60)).await; 2 });
///     let (done, pending) = weft::wait([quick, slow], ReturnWhen::FirstCompleted).await.unwrap();
///     assert_eq!(done.len(), 1);
///     assert_eq!(pending.len(), 1);
///     assert!(!pending[0].is_finished()); // still running
/// });
/// ```
///
/// # Errors
///
/// [`WaitError`] for an empty set.
///
/// # Cancel safety
///
/// Not cancel safe: dropping it drops the tasks' handles, detaching them. The tasks
/// keep running, but their results can no longer be had. In a `select!` loop, use
/// [`as_completed`](crate::as_completed), whose `next_completed` is cancel safe.
pub fn wait<T>(tasks: impl IntoIterator<Item = Task<T>>, when: ReturnWhen) -> Wait<T> {
    Wait {
        order: FinishOrder::new(tasks.into_iter().collect()),
        when,
        done: Vec::new(),
        deadline: None,
    }
}

/// The future of [`wait`].
#[must_use = "futures do nothing unless awaited"]
pub struct Wait<T> {
    order: FinishOrder<T>,
    when: ReturnWhen,
    done: Vec<usize>,
    deadline: Option<Sleep>,
}

impl<T> Wait<T> {
    /// Returns after `duration` at the latest, with whatever has finished by then
    /// (asyncio's `timeout=`). `Duration::MAX` means no timeout.
    ///
    /// # Cancel safety
    ///
    /// As for [`wait`].
    pub fn timeout(mut self, duration: Duration) -> Wait<T> {
        self.deadline = Some(Sleep::new(Instant::now().checked_add(duration)));
        self
    }

    fn finish(&mut self) -> (Vec<Task<T>>, Vec<Task<T>>) {
        let done = self
            .done
            .drain(..)
            .filter_map(|index| self.order.take(index))
            .collect();
        (done, self.order.take_unreported())
    }

    fn satisfied_by(&self, index: usize) -> bool {
        match self.when {
            ReturnWhen::FirstCompleted => true,
            ReturnWhen::FirstException => self.order.get(index).is_some_and(|task| {
                matches!(
                    task.outcome(),
                    Some(TaskOutcome::Panicked | TaskOutcome::Failed)
                )
            }),
            ReturnWhen::AllCompleted => false,
        }
    }
}

impl<T> Future for Wait<T> {
    type Output = Result<(Vec<Task<T>>, Vec<Task<T>>), WaitError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.order.len() == 0 {
            return Poll::Ready(Err(WaitError(())));
        }
        loop {
            match this.order.poll_next(cx) {
                Poll::Ready(Some(index)) => {
                    this.done.push(index);
                    if this.satisfied_by(index) {
                        return Poll::Ready(Ok(this.finish()));
                    }
                }
                Poll::Ready(None) => return Poll::Ready(Ok(this.finish())),
                Poll::Pending => break,
            }
        }
        let expired = this
            .deadline
            .as_mut()
            .is_some_and(|deadline| deadline.poll_deadline(cx).is_ready());
        if expired {
            return Poll::Ready(Ok(this.finish()));
        }
        Poll::Pending
    }
}

impl<T> fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("tasks", &self.order.len())
            .field("when", &self.when)
            .field("done", &self.done.len())
            .finish()
    }
}
