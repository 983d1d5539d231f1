//! Shared pieces of weft's criterion benches and measuring tools: the runtimes under
//! comparison, a runtime-neutral completion signal, and the allocation counter behind
//! the bytes-per-task figures.
//!
//! - [`contender`]: weft, tokio and async-executor behind one trait, each with the same
//!   number of worker threads, so one workload runs unchanged on all three.
//! - [`fan_out`]: spawn N tasks and wait for all; the last one signals through
//!   `weft-sync`, which runs on any executor, so the signal costs every contender the
//!   same.
//! - [`CountingAllocator`] and [`task_bytes`]: bytes allocated per spawned task.
//! - [`command_line`]: the `--flag value` command lines of `echo_load`, `http_load` and `soak`.
//! - [`load`]: the load generators' shared pieces (`echo_load`, `http_load`): client
//!   threads, server CPU time, options, paired rounds.
//!
//! The workloads and what they stress are described in `docs/performance.md`.

pub mod command_line;
pub mod contender;
mod counting_allocator;
mod fan_out;
pub mod load;
pub mod task_bytes;

pub use counting_allocator::{AllocationCount, CountingAllocator};
pub use fan_out::fan_out;
