//! Structured concurrency: task groups, gather, wait, as_completed and shield — the
//! functions (also at the crate root: [`weft::task_group`](crate::task_group),
//! [`weft::gather!`](crate::gather), ...) and the futures and errors they return.
//!
//! Everything here is built on tasks and on cooperative cancellation
//! ([`cancellable`](crate::task::cancellable)), so it composes the way asyncio's does: a
//! `TaskGroup` inside a timeout inside a cancelled task does the right thing. The guide
//! is [`crate::guide::structured`] and [`crate::guide::cancellation`].

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
