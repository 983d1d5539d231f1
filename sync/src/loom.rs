//! The one place `weft-sync` takes its atomics, cells and locks from.
//!
//! Every atomic, `UnsafeCell` and mutex in the crate is imported from here and
//! nowhere else. Under `--cfg weft_loom` the same names are loom's model-checked types,
//! so the models in `loom-tests/tests/sync_*.rs` exercise the real code paths.
//!
//! The std side is given loom's API shape where the two differ
//! ([`UnsafeCell::with`]/[`UnsafeCell::with_mut`], a `lock()` that cannot fail),
//! so no call site needs a `cfg`. `Arc` is std's on both sides: loom's `Arc`
//! supports neither `self: &Arc<Self>` receivers nor unsized coercion, and the
//! crate only uses `Arc` for plain ownership (`lock_owned`, `acquire_owned`,
//! `oneshot`).

#[cfg(not(weft_loom))]
mod imp {
    pub(crate) use std::sync::atomic;

    /// A mutex whose `lock` never fails (parking_lot: no poisoning).
    #[cfg(not(miri))]
    pub(crate) type Mutex<T> = parking_lot::Mutex<T>;
    /// The guard of [`Mutex`].
    #[cfg(not(miri))]
    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    // Under Miri, std's mutex: parking_lot_core's Linux parker passes an
    // `&AtomicI32` to the variadic `syscall(SYS_futex, ..)`, which Miri reports
    // as undefined behaviour when a lock is contended; std's futex is modelled
    // by Miri itself. Poisoning is ignored, as parking_lot has none.
    #[cfg(miri)]
    pub(crate) use std_mutex::{Mutex, MutexGuard};

    #[cfg(miri)]
    mod std_mutex {
        /// std's mutex with parking_lot's infallible `lock`.
        #[derive(Debug, Default)]
        pub(crate) struct Mutex<T>(std::sync::Mutex<T>);
        /// The guard of [`Mutex`].
        pub(crate) type MutexGuard<'a, T> = std::sync::MutexGuard<'a, T>;

        impl<T> Mutex<T> {
            pub(crate) const fn new(value: T) -> Self {
                Mutex(std::sync::Mutex::new(value))
            }

            pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
                self.0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            }
        }
    }

    /// `std::cell::UnsafeCell` with loom's closure-based access.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        #[inline(always)]
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        #[inline(always)]
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }
}

#[cfg(weft_loom)]
mod imp {
    pub(crate) use loom::sync::atomic;

    /// loom's mutex with parking_lot's infallible `lock`.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);
    /// The guard of [`Mutex`].
    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().expect("loom mutex poisoned")
        }
    }

    /// loom's cell, plus the `into_inner` the std side has.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(loom::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) fn new(value: T) -> Self {
            UnsafeCell(loom::cell::UnsafeCell::new(value))
        }

        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            self.0.with(f)
        }

        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            self.0.with_mut(f)
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }
}

pub(crate) use imp::*;
pub(crate) use std::sync::Arc;
