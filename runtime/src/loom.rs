//! The runtime's names for the workspace's one loom facade (`weft_core::loom`, where
//! the policy is written down): every atomic, cell, lock, `Arc`, thread and work queue
//! in `weft` is imported from here and nowhere else.

pub(crate) use weft_core::loom::cell::UnsafeCell;
pub(crate) use weft_core::loom::sync::{Arc, Condvar, Mutex};
pub(crate) use weft_core::loom::{deque, thread};

pub(crate) mod sync {
    pub(crate) use weft_core::loom::sync::atomic;
}
