//! `Timeout`: a future with a deadline that can be moved (asyncio's `wait_for` and
//! `async with timeout()`).
//!
//! # Rules
//!
//! 1. **Ready beats expired.** The inner future is polled before the deadline is
//!    looked at; a value it returns at that poll is the timeout's value.
//! 2. **Expiry is a cancellation of the inner future.** The inner future runs inside
//!    the timeout's own scope (`task/cancel/scope.rs`). At the deadline, with no
//!    cancellable region alive inside, the timeout drops it and returns `Elapsed` —
//!    the fast path. With regions inside, it requests cancellation of its scope and
//!    polls on: the innermost region takes the request and the inner future may clean
//!    up with awaits. It then returns `Elapsed` if the request is still waiting when
//!    the inner future finishes (re-armed: asyncio's re-raise becomes `TimeoutError`)
//!    or when no region is left to take it; and the inner future's value if it
//!    swallowed the cancellation and returned one, as asyncio's `timeout()` does.
//! 3. **Only its own.** The request is aimed at the timeout's scope: it never touches
//!    the task's own cancellation state, so an enclosing region or task sees nothing.
//! 4. **The outermost expired timeout reports.** A timeout about to return `Elapsed`
//!    while an enclosing timeout has expired too (the same deadline, or a later one
//!    that passed meanwhile) drops its future and stays pending instead; the enclosing
//!    one, polled on in the same poll, expires and returns `Elapsed`, so the code
//!    between the two never runs on (asyncio's `test_nested_timeouts`; scope.rs,
//!    rule 3).
//! 5. **An error goes first.** A request the inner future re-armed behind an error
//!    (a task group that failed, `task/cancel/mod.rs`, rule 6) does not turn its value
//!    into `Elapsed`: the timeout returns the value, and the request ends there.

use super::sleep::Sleep;
use super::Instant;
use crate::task::cancel::{enclosing_expired, within, ScopeSlot};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use weft_core::waiting::{self, WaitOn};

/// Runs `future` for at most `duration` (asyncio's `wait_for(aw, timeout)`).
///
/// Resolves to `Ok(output)` if the future finishes first, or `Err(Elapsed)` once the
/// deadline passes, dropping the future. A future that is ready at the same poll as
/// the deadline returns its value: ready beats expired. `Duration::MAX` means never.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, timeout};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let slow = timeout(Duration::from_millis(10), sleep(Duration::from_secs(60))).await;
///     assert!(slow.is_err());
///     let quick = timeout(Duration::from_secs(60), async { 7 }).await;
///     assert_eq!(quick.unwrap(), 7);
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the timeout drops the inner future; it is as cancel-safe as that future.
/// Like [`sleep`](crate::time::sleep), a new `timeout(duration, ..)` counts a whole
/// `duration` again: in a `select!` loop, use [`timeout_at`] with a fixed deadline.
#[track_caller]
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout::new(Instant::now().checked_add(duration), future)
}

/// Runs `future` until `deadline` (`None`: no deadline), as [`timeout`] does
/// (asyncio's `timeout_at(when)`).
///
/// ```
/// use std::time::Duration;
/// use weft::time::{timeout_at, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let deadline = Instant::now() + Duration::from_secs(1);
///     assert_eq!(timeout_at(Some(deadline), async { 1 }).await.unwrap(), 1);
///     assert_eq!(timeout_at(None, async { 2 }).await.unwrap(), 2);
/// });
/// ```
///
/// # Cancel safety
///
/// As cancel safe as `future`: dropping it drops `future` and its timer, and a new
/// `timeout_at` with the same deadline expires when this one would have.
#[track_caller]
pub fn timeout_at<F: Future>(deadline: Option<Instant>, future: F) -> Timeout<F> {
    Timeout::new(deadline, future)
}

/// The future returned by [`timeout`] and [`timeout_at`].
///
/// Pinned, it can be inspected and moved while it runs — asyncio's `Timeout` context
/// manager: [`deadline`](Timeout::deadline) (`when()`),
/// [`reschedule`](Timeout::reschedule) and [`expired`](Timeout::expired).
///
/// ```
/// use std::pin::pin;
/// use std::time::Duration;
/// use weft::time::{sleep, timeout, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let mut t = pin!(timeout(Duration::from_millis(10), sleep(Duration::from_secs(5))));
///     t.as_mut().reschedule(None); // no deadline after all
///     assert_eq!(t.deadline(), None);
///     assert!(t.await.is_ok());
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    /// Structurally pinned; dropped in place at expiry (rule 2).
    future: Option<F>,
    sleep: Sleep,
    scope: ScopeSlot,
    state: TimeoutState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeoutState {
    /// Before the deadline.
    Running,
    /// The deadline passed and regions inside are cleaning up (rule 2).
    Expiring,
    /// It expired under an enclosing timeout that expired too: the future is gone and
    /// it stays pending, for the enclosing one to report (rule 4).
    Deferred,
    /// It returned.
    Done,
}

/// The deadline of a [`Timeout`] passed before its future finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed(());

impl Elapsed {
    pub(crate) fn new() -> Elapsed {
        Elapsed(())
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the deadline passed before the operation finished")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for std::io::Error {
    fn from(err: Elapsed) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::TimedOut, err)
    }
}

impl<F> Timeout<F> {
    #[track_caller]
    fn new(deadline: Option<Instant>, future: F) -> Timeout<F> {
        Timeout {
            future: Some(future),
            sleep: Sleep::new(deadline),
            scope: ScopeSlot::new(),
            state: TimeoutState::Running,
        }
    }

    /// The deadline (asyncio's `when()`); `None` means never.
    pub fn deadline(&self) -> Option<Instant> {
        self.sleep.deadline()
    }

    /// Moves the deadline: earlier, later, `None` for never, or into the past, in which
    /// case the timeout expires at its next poll (asyncio's `reschedule`). Moving it
    /// after it expired has no effect on the outcome.
    pub fn reschedule(self: Pin<&mut Self>, deadline: Option<Instant>) {
        if self.expired() {
            return;
        }
        // SAFETY: `sleep` is never pinned (it is `Unpin`); the future is not touched.
        let this = unsafe { self.get_unchecked_mut() };
        this.sleep.reset(deadline);
    }

    /// `true` if the deadline passed before the future finished (asyncio's
    /// `expired()`).
    pub fn expired(&self) -> bool {
        self.sleep.is_elapsed()
    }

    /// `true` once it has returned.
    pub fn is_done(&self) -> bool {
        self.state == TimeoutState::Done
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is only dropped in place (by
        // assigning `None`), never moved, and `Timeout` has no `Drop` that moves it.
        // No other field is pinned.
        let this = unsafe { self.get_unchecked_mut() };
        match this.state {
            TimeoutState::Done => panic!("a weft Timeout was polled after it completed"),
            TimeoutState::Deferred => return Poll::Pending,
            TimeoutState::Expiring => return this.poll_expiring(cx),
            TimeoutState::Running => {}
        }
        if let Poll::Ready(value) = this.poll_inner(cx) {
            this.state = TimeoutState::Done;
            return Poll::Ready(Ok(value));
        }
        if this.sleep.poll_deadline(cx).is_pending() {
            // The inner future's own wait, if it recorded one, says more.
            waiting::record_outer(&WaitOn("timeout"), this.sleep.at);
            return Poll::Pending;
        }
        if this.scope.request_if_regions() {
            this.state = TimeoutState::Expiring;
            return this.poll_expiring(cx);
        }
        this.expire()
    }
}

impl<F: Future> Timeout<F> {
    /// Polls the inner future inside the timeout's scope (rule 2); while it runs, the
    /// scope's frame carries the deadline, for timeouts inside (rule 4).
    fn poll_inner(&mut self, cx: &mut Context<'_>) -> Poll<F::Output> {
        let expires = match self.state {
            TimeoutState::Running => self.sleep.deadline().map(Instant::into_std),
            _ => None,
        };
        let future = self
            .future
            .as_mut()
            .expect("the inner future is present until the timeout returns");
        // SAFETY: see `poll`: the future stays where it is.
        let future = unsafe { Pin::new_unchecked(future) };
        within(&self.scope, expires, || future.poll(cx))
    }

    /// After the deadline, with regions inside cleaning up (rule 2).
    fn poll_expiring(&mut self, cx: &mut Context<'_>) -> Poll<Result<F::Output, Elapsed>> {
        let polled = self.poll_inner(cx);
        let scope = self.scope.get();
        let request_waiting = scope.as_ref().is_some_and(|s| s.is_requested());
        match polled {
            // Rule 5: the value carries an error that goes first; the request ends here.
            Poll::Ready(value) if scope.as_ref().is_some_and(|s| s.is_behind_error()) => {
                if let Some(scope) = &scope {
                    scope.take_request();
                }
                self.state = TimeoutState::Done;
                Poll::Ready(Ok(value))
            }
            Poll::Ready(_) if request_waiting => self.expire(),
            Poll::Ready(value) => {
                self.state = TimeoutState::Done;
                Poll::Ready(Ok(value))
            }
            Poll::Pending if request_waiting && !scope.is_some_and(|s| s.has_regions()) => {
                self.expire()
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Drops the inner future and returns `Elapsed` — or, under an enclosing timeout
    /// that expired too, stays pending for it to report (rule 4).
    fn expire(&mut self) -> Poll<Result<F::Output, Elapsed>> {
        self.future = None;
        if enclosing_expired(Instant::now().into_std()) {
            self.state = TimeoutState::Deferred;
            return Poll::Pending;
        }
        self.state = TimeoutState::Done;
        Poll::Ready(Err(Elapsed(())))
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("deadline", &self.deadline())
            .field("expired", &self.expired())
            .finish_non_exhaustive()
    }
}
