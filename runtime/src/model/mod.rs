//! What the loom models in `loom-tests/` reach (built only under `--cfg weft_loom`).
//!
//! Each submodule wraps real internals — the task harness and state word, the workers'
//! park protocol, the timers — behind the few calls a model needs, so the public API
//! stays as it is and the models check the code that runs, not a copy of it.

pub mod local;
pub mod monitor;
pub mod park;
pub mod signal;
pub mod task;
pub mod timer;
