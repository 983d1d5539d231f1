//! weft-sync's names for the workspace's one loom facade (`weft_core::loom`, where the
//! policy is written down): every atomic, `UnsafeCell` and mutex in the crate is
//! imported from here and nowhere else, so the models in `loom-tests/tests/sync_*.rs`
//! exercise the real code paths.

pub(crate) use weft_core::loom::cell::UnsafeCell;
pub(crate) use weft_core::loom::sync::{atomic, Arc, Mutex, MutexGuard};
