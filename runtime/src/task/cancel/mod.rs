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
//!    the future after that poll.
//! 2. **A region registers once.** At its first poll a region counts itself in the
//!    task it runs in and in every scope on the chain at that moment; it takes requests
//!    from exactly those, and uncounts itself when it completes or is dropped. A task
//!    cancelled before its first poll has no region yet and never runs.
//! 3. **Taking clears.** Taking a request clears it: the same request is never caught
//!    twice. The count of requests (`cancelling()`) is separate and changes only with
//!    `cancel()` and `uncancel()`.
//! 4. **Re-raising re-arms.** [`Cancelled::rearm`] puts back every request the region
//!    took, for an outer region, the scope or the runtime to see.
//! 5. **Shutdown is not a request.** A runtime shutting down drops every future;
//!    regions cannot catch it (state.rs, ABORTED).

mod error;
mod region;
mod scope;

pub use error::Cancelled;
pub use region::{cancellable, Cancellable};

pub(crate) use region::Registration;
pub(crate) use scope::{within, ScopeFrame, ScopeSlot};

use super::raw::RawTask;
use super::state::TransitionToNotified;
use crate::loom::sync::atomic::Ordering::AcqRel;
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

/// Takes the message of the task's last request, if any.
pub(crate) fn take_message(raw: RawTask) -> Option<Arc<str>> {
    raw.header()
        .side
        .get()
        .and_then(|side| side.cancel_message.lock().take())
}
