//! Structured concurrency: task groups, gather, wait, as_completed and shield.
//!
//! Everything here is built on tasks and on cooperative cancellation
//! (`task/cancel/`), so it composes the way asyncio's does: a `TaskGroup` inside a
//! timeout inside a cancelled task does the right thing. The guide is
//! `docs/cancellation.md`.

mod as_completed;
mod catch_unwind;
mod finish_order;
mod gather;
mod group_error;
mod shield;
mod task_group;
mod wait;

pub use as_completed::{as_completed, AsCompleted, AsCompletedWithin};
pub use gather::{
    gather_all, try_gather, Gather, GatherAll, GatherTasks, TryGather, TryGatherError,
};
pub use group_error::{GroupError, GroupFailure};
pub use shield::{shield, Shield};
pub use task_group::{task_group, ChildOutput, GroupClosed, GroupFuture, TaskGroup};
pub use wait::{wait, ReturnWhen, Wait, WaitError};
