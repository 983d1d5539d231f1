//! weft-io's names for the workspace's one loom facade (`weft_core::loom`, where the
//! policy is written down): every atomic, lock, `Arc` and thread in this crate is
//! imported from here and nowhere else, so the models in `loom-tests/tests/io_*.rs`
//! exercise the real readiness and waker code.
//!
//! [`RefCell`] is the one name that is std's in every build: it backs the per-thread
//! "current reactor", which no other thread can see (under loom the thread-local that
//! holds it is loom's, so each model thread has its own: `reactor/context.rs`).

#[cfg(weft_loom)]
pub(crate) use weft_core::loom::sync::Condvar;
pub(crate) use weft_core::loom::sync::{atomic, Arc, Mutex};
pub(crate) use weft_core::loom::thread;

/// Per-thread state only: not shared, so the same type in both builds.
pub(crate) use std::cell::RefCell;
