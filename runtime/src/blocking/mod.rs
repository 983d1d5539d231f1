//! The blocking pool behind `spawn_blocking` and `to_thread`.
//!
//! Blocking work runs on threads of its own so it never stalls the workers. A
//! blocking call is a task like any other (one allocation, a `Task<R>` handle, panics
//! caught), whose future calls the closure on its one and only poll.

mod pool;
mod task;

pub(crate) use pool::{BlockingPool, Spawner};
