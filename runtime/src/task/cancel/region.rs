//! `cancellable`: a region that catches cancellation requests (mod.rs, rules 1-3).

use super::error::Cancelled;
use super::scope::{chain_scopes, Scope};
use crate::loom::sync::atomic::Ordering::AcqRel;
use crate::task::context;
use crate::task::CountedRef;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Runs `future` as a cancellable region (asyncio's `try: ... except CancelledError`).
///
/// If a cancellation request for this task — or for a timeout or task group the region
/// runs inside — arrives while `future` is pending, the region drops `future` and
/// returns `Err(Cancelled)`; the task goes on, and may await cleanup before it
/// returns or re-raises with [`Cancelled::rearm`]. Without a region, a cancelled task
/// simply ends. See `docs/cancellation.md`.
///
/// ```
/// use std::time::Duration;
/// use weft::task::cancellable;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let task = weft::spawn(async {
///         match cancellable(weft::time::sleep(Duration::from_secs(3600))).await {
///             Ok(()) => "slept",
///             Err(_cancelled) => {
///                 // Cleanup may await: this is asyncio's `except CancelledError:`.
///                 weft::time::sleep(Duration::from_millis(10)).await;
///                 "cleaned up"
///             }
///         }
///     });
///     weft::yield_now().await; // let it start sleeping
///     task.cancel();
///     assert_eq!(task.await.unwrap(), "cleaned up");
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the region drops `future`, exactly as dropping `future` would.
pub fn cancellable<F: Future>(future: F) -> Cancellable<F> {
    Cancellable {
        future: Some(future),
        registration: None,
    }
}

/// The future returned by [`cancellable`].
#[must_use = "futures do nothing unless awaited"]
pub struct Cancellable<F> {
    /// `None` once it completed or caught a request.
    future: Option<F>,
    /// Set at the first poll (mod.rs, rule 2).
    registration: Option<Registration>,
}

impl<F: Future> Future for Cancellable<F> {
    type Output = Result<F::Output, Cancelled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is only ever dropped in place
        // (by assigning `None`), never moved out; `registration` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let Some(future) = this.future.as_mut() else {
            panic!("a weft::task::Cancellable was polled after it completed");
        };
        let registration = this.registration.get_or_insert_with(Registration::enter);
        // SAFETY: see above; `future` stays where it is.
        let polled = unsafe { Pin::new_unchecked(future) }.poll(cx);
        let output = match polled {
            Poll::Ready(value) => Ok(value),
            Poll::Pending => match registration.take_requests() {
                Some(cancelled) => Err(cancelled),
                None => return Poll::Pending,
            },
        };
        // Drop the future (in place) before leaving the scopes it counted in.
        this.future = None;
        this.registration = None;
        Poll::Ready(output)
    }
}

impl<F> fmt::Debug for Cancellable<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancellable")
            .field("done", &self.future.is_none())
            .finish_non_exhaustive()
    }
}

/// A region's (or a task group's) place in its task and scopes (mod.rs, rule 2).
pub(crate) struct Registration {
    task: Option<CountedRef>,
    scopes: Vec<Arc<Scope>>,
}

impl Registration {
    /// Counts the caller in the current task and every scope on the chain.
    pub(crate) fn enter() -> Registration {
        let task = context::current_task().map(|raw| {
            // SAFETY: the task being polled is kept alive by its poller.
            let task = unsafe { CountedRef::new(raw) };
            task.header().regions.fetch_add(1, AcqRel);
            task
        });
        let scopes = chain_scopes();
        for scope in &scopes {
            scope.enter_region();
        }
        Registration { task, scopes }
    }

    /// Takes every request waiting on the task and the scopes (mod.rs, rule 3).
    pub(crate) fn take_requests(&self) -> Option<Cancelled> {
        self.take(true)
    }

    /// As [`take_requests`](Self::take_requests), but leaves the requests waiting
    /// behind an error (mod.rs, rule 6): a task group whose body has returned lets
    /// the body's value through.
    pub(crate) fn take_requests_ahead_of_errors(&self) -> Option<Cancelled> {
        self.take(false)
    }

    fn take(&self, behind_errors_too: bool) -> Option<Cancelled> {
        // The task's own request is taken only while the task itself polls the region.
        let polled_by_its_task = |task: &&CountedRef| context::current_task() == Some(task.raw());
        let task = self
            .task
            .as_ref()
            .filter(polled_by_its_task)
            .filter(|task| behind_errors_too || !super::is_behind_error(task.header()))
            .filter(|task| task.header().state.take_cancel_request());
        let scopes: Vec<Arc<Scope>> = self
            .scopes
            .iter()
            .filter(|scope| behind_errors_too || !scope.is_behind_error())
            .filter(|scope| scope.take_request())
            .cloned()
            .collect();
        if task.is_none() && scopes.is_empty() {
            return None;
        }
        if let Some(task) = task {
            super::clear_behind_error(task.raw());
        }
        let message = task.and_then(|task| super::take_message(task.raw()));
        Some(Cancelled::new(message, task.cloned(), scopes))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.header().regions.fetch_sub(1, AcqRel);
        }
        for scope in &self.scopes {
            scope.exit_region();
        }
    }
}
