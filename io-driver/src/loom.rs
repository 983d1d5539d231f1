//! The one place `weft-io` takes its synchronisation primitives from.
//!
//! Every atomic, lock, `Arc`, cell and thread in this crate is imported from here and
//! nowhere else. Under `--cfg weft_loom` the shared-state names are loom's model-checked
//! versions, so the models in `loom-tests/tests/io_*.rs` exercise the real readiness
//! and waker code.
//!
//! The std side has loom's API shape where the two differ (a `lock()` that cannot
//! fail), so no call site needs a `cfg`. [`RefCell`] is the one exception to "loom's
//! under loom": it backs the per-thread "current reactor", which no other thread can
//! see and which the models never touch.

#[cfg(not(weft_loom))]
mod imp {
    pub(crate) use std::sync::Arc;
    pub(crate) use std::thread;

    pub(crate) mod atomic {
        pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    }

    /// A mutex whose `lock` never fails (parking_lot: no poisoning).
    pub(crate) type Mutex<T> = parking_lot::Mutex<T>;
}

#[cfg(weft_loom)]
mod imp {
    pub(crate) use loom::sync::Arc;
    pub(crate) use loom::thread;

    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    }

    /// loom's mutex with parking_lot's infallible `lock`.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> loom::sync::MutexGuard<'_, T> {
            self.0.lock().expect("loom mutex poisoned")
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner().expect("loom mutex poisoned")
        }
    }
}

pub(crate) use imp::*;

/// Per-thread state only: not shared, so the same type in both builds.
pub(crate) use std::cell::RefCell;
