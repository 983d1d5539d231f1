//! What the loom models in `loom-tests/` reach (built only under `--cfg weft_loom`).
//!
//! Each submodule wraps real internals — the task harness, state word and owned list,
//! both schedulers with their workers and parkers, the timers — behind the few calls
//! a model needs, so the public API stays as it is and the models check the code that
//! runs, not a copy of it.

// Seams for the models, not an API: each is built with `new()` and asked for counts,
// so `Default` and `is_empty` would be surface no model calls.
#![allow(clippy::new_without_default, clippy::len_without_is_empty)]

pub mod current_thread;
pub mod local;
pub mod monitor;
pub mod multi_thread;
pub mod park;
pub mod parts;
pub mod signal;
pub mod task;
pub mod timer;
