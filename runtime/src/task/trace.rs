//! The `tracing` feature: a span per task, events for its life, reports as events.
//!
//! # Rules
//!
//! 1. A task's span (`weft::task`, name `task`, fields `task_id`, `task_name`,
//!    `spawned_at`, `parent`) is made at spawn, inside the spawning task's span, and
//!    kept in the task's side block only when a subscriber is interested; a task
//!    whose span is disabled carries nothing and pays one callsite check at spawn.
//! 2. The span is entered for each poll, so whatever the future logs is inside it.
//! 3. Events, all with target `weft::task`: `spawned` (trace, in the new span), `cancel
//!    requested` (debug, by the requester), `completed` with its outcome (trace), and
//!    `panicked` (error) with the panic's message in `panic`.
//! 4. Runtime reports (`report.rs`) become `weft` warn events when no hook is set and a
//!    subscriber listens; otherwise they go to standard error as without the feature.

use super::raw::Header;
use super::report::Report;
use super::side::Side;
use super::{TaskId, TaskOutcome};
use std::panic::Location;
use tracing::Span;

/// Rule 1: the span of a task being spawned, or `None` if nobody listens.
pub(crate) fn task_span(
    id: TaskId,
    name: Option<&str>,
    location: &'static Location<'static>,
) -> Option<Span> {
    let parent = super::current().map(|task| task.id().as_u64());
    let span = tracing::trace_span!(
        target: "weft::task",
        "task",
        task_id = id.as_u64(),
        task_name = name,
        spawned_at = %location,
        parent = parent,
    );
    if span.is_disabled() {
        return None;
    }
    tracing::trace!(target: "weft::task", parent: &span, "spawned");
    Some(span)
}

/// Rule 2: enters the task's span for one poll.
pub(crate) fn enter(side: Option<&Side>) -> Option<tracing::span::Entered<'_>> {
    side.and_then(|side| side.span.as_ref()).map(Span::enter)
}

/// Rule 3: a cancel request for `header`'s task.
pub(crate) fn cancel_requested(header: &Header) {
    tracing::debug!(target: "weft::task", task_id = header.id.as_u64(), "cancel requested");
}

/// Rule 3: the task ended with `outcome`; `panic` is the message when it panicked.
pub(crate) fn completed(header: &Header, outcome: TaskOutcome, panic: Option<&str>) {
    let side = header.side.get();
    let _entered = enter(side);
    let id = header.id.as_u64();
    if outcome == TaskOutcome::Panicked {
        tracing::error!(target: "weft::task", task_id = id, panic, "panicked");
    }
    tracing::trace!(target: "weft::task", task_id = id, outcome = ?outcome, "completed");
}

/// Rule 4: sends `report` as an event; `false` if nobody listens.
pub(crate) fn report(report: &Report) -> bool {
    let listening =
        tracing::dispatcher::get_default(|d| !d.is::<tracing::subscriber::NoSubscriber>());
    if listening {
        tracing::warn!(target: "weft", "{report}");
    }
    listening
}
