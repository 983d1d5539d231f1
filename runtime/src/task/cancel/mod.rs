//! Cooperative cancellation: requests, the regions that catch them, and the scopes
//! that aim them.
//!
//! asyncio throws `CancelledError` into a task at its current `await`; the task may
//! catch it, clean up with more awaits, and go on. In Rust, dropping a future is
//! cancellation and cleanup is `Drop`, which cannot await. weft gives both:
//!
//! - A **request** is recorded on its target — a task ([`Task::cancel`]) or a scope
//!   (a [`Timeout`](crate::time::Timeout) that expired, a [`TaskGroup`](crate::TaskGroup)
//!   body after a failure) — and the task is woken.
//! - A **region** ([`cancellable`]) polls its inner future, and on the way back up —
//!   if that poll left the future pending — takes every request waiting on the task
//!   and on the scopes it was first polled inside: it drops the inner future and
//!   returns `Err(Cancelled)`. The innermost region polled catches a request, because
//!   it looks first. The task goes on from there and may await cleanup.
//! - With **no region alive**, the runtime drops the future at the next poll and the
//!   task ends cancelled; a scope with no region alive inside it drops its own inner
//!   future (a timeout then returns `Elapsed`).
//!
//! [`Task::cancel`]: crate::Task::cancel
//!
//! # Rules
//!
//! 1. **Requests wait.** A request stays until a region takes it or its target drops
//!    the future. A request that arrives while the task's regions are not being polled
//!    (the task awaits something outside them) waits for the next poll of one of them;
//!    if the last region ends first without taking it, the runtime (or the scope) drops
//!    the future after that poll. A request still waiting when the task's future
//!    completes ends the task cancelled and drops its output (asyncio's must-cancel,
//!    `test_cancel_at_end`), unless it waits behind an error (rule 6).
//! 2. **A region registers once.** At its first poll a region counts itself in the
//!    task it runs in and in every scope on the chain at that moment; it takes requests
//!    from exactly those, and uncounts itself when it completes or is dropped. A task
//!    cancelled before its first poll has no region yet and never runs.
//! 3. **Taking clears.** Taking a request clears it: the same request is never caught
//!    twice. The count of requests (`cancelling()`) is separate and changes only with
//!    `cancel()` and `uncancel()`; an `uncancel()` that brings the count to zero, called
//!    by the task itself, withdraws the task's waiting request too (asyncio 3.13,
//!    `test_uncancel_resets_must_cancel`).
//! 4. **Re-raising re-arms.** [`Cancelled::rearm`] puts back every request the region
//!    took, for an outer region, the scope or the runtime to see.
//! 5. **Shutdown is not a request.** A runtime shutting down drops every future;
//!    regions cannot catch it (state.rs, ABORTED).
//! 6. **An error goes first.** A task group that caught a request and also has failed
//!    children returns its `GroupError` and re-arms the request *behind the error*
//!    (asyncio 3.12, `test_error_and_cancel`): it is delivered at the next await, as
//!    any re-armed request, but an owner that sees its future finish while it waits
//!    lets the value through — a timeout returns the value, the task its output, a
//!    task group whose body returned it does not take the request on its way up —
//!    and the request ends there. Taking it clears the mark with the request.

mod error;
mod region;
mod scope;

pub use error::Cancelled;
pub use region::{cancellable, Cancellable};

pub(crate) use region::Registration;
pub(crate) use scope::{enclosing_expired, within, ScopeFrame, ScopeSlot};

use super::raw::{Header, RawTask};
use super::state::TransitionToNotified;
use crate::loom::sync::atomic::Ordering::{AcqRel, Relaxed};
use std::sync::Arc;

/// Records a request on the task `raw` points to and wakes it; `false` if it already
/// finished. The caller holds a reference.
pub(crate) fn request(raw: RawTask, message: Option<Arc<str>>) -> bool {
    let header = raw.header();
    if header.state.load().is_complete() {
        return false;
    }
    header.requests.fetch_add(1, AcqRel);
    #[cfg(feature = "tracing")]
    crate::task::trace::cancel_requested(header);
    arm(raw, message);
    true
}

/// Sets the task's request bit (and its message) and wakes it; no count (rule 4).
pub(crate) fn arm(raw: RawTask, message: Option<Arc<str>>) {
    let header = raw.header();
    if let Some(message) = message {
        *header.side.get_or_init().cancel_message.lock() = Some(message);
    }
    match header.state.transition_to_notified_and_cancel() {
        // SAFETY: the transition counted a reference for the `Notified`.
        TransitionToNotified::Submit => unsafe { raw.schedule() },
        TransitionToNotified::DoNothing => {}
        TransitionToNotified::Dealloc => unreachable!("a cancel request never drops a reference"),
    }
}

/// Sets the task's request bit *behind an error* (rule 6): the next await delivers it,
/// completion does not. Called by the task's poller only.
pub(crate) fn arm_behind_error(raw: RawTask, message: Option<Arc<str>>) {
    raw.header()
        .side
        .get_or_init()
        .cancel_behind_error
        .store(true, Relaxed);
    arm(raw, message);
}

/// Clears the "behind an error" mark (rule 6) when the poller takes the request.
pub(crate) fn clear_behind_error(raw: RawTask) {
    if let Some(side) = raw.header().side.get() {
        side.cancel_behind_error.store(false, Relaxed);
    }
}

/// Rule 3: the count of the current task went to zero; its waiting request (and the
/// message) is withdrawn. Called by the task's poller only (state.rs, rule 7).
pub(crate) fn withdraw(raw: RawTask) {
    if raw.header().state.take_cancel_request() {
        clear_behind_error(raw);
        take_message(raw);
    }
}

/// Rule 6: the task's waiting request was re-armed behind an error. Read by the
/// poller.
pub(crate) fn is_behind_error(header: &Header) -> bool {
    header
        .side
        .get()
        .is_some_and(|side| side.cancel_behind_error.load(Relaxed))
}

/// Rule 1: the task's future completed with a request still waiting, not behind an
/// error, and no shutdown under way: the task ends cancelled. Read by the poller.
pub(crate) fn cancels_at_completion(header: &Header) -> bool {
    let snapshot = header.state.load();
    snapshot.is_cancelled() && !snapshot.is_aborted() && !is_behind_error(header)
}

/// Takes the message of the task's last request, if any.
pub(crate) fn take_message(raw: RawTask) -> Option<Arc<str>> {
    raw.header()
        .side
        .get()
        .and_then(|side| side.cancel_message.lock().take())
}
