//! The one place weft takes its synchronisation primitives from.
//!
//! Every atomic, lock, condition variable, cell, `Arc`, thread and work queue in
//! `weft-rt`, `weft-rt-io` and `weft-rt-sync` comes from here (each crate's
//! `crate::loom` re-exports the names it uses). Under `--cfg weft_loom` the same names
//! are loom's model-checked types, so the models in `loom-tests/` exercise the code
//! that runs.
//!
//! # Policy (one for the whole workspace)
//!
//! | name             | normal build                  | under Miri                  | under `weft_loom`                 |
//! |------------------|-------------------------------|-----------------------------|-----------------------------------|
//! | `sync::atomic`   | std                           | std                         | loom                              |
//! | `sync::Arc`      | std                           | std                         | std (see below)                   |
//! | `sync::Mutex`    | parking_lot (no poisoning)    | std, poisoning ignored      | loom, `lock()` infallible         |
//! | `sync::Condvar`  | parking_lot                   | std                         | loom                              |
//! | `cell::UnsafeCell` | std, with loom's `with`/`with_mut` | std                | loom                              |
//! | `thread`         | std                           | std                         | loom                              |
//! | `deque`          | crossbeam-deque               | crossbeam-deque             | a loom-visible stand-in           |
//!
//! - **One shape.** The std side is given loom's API where the two differ
//!   (`UnsafeCell::with`/`with_mut`, a `lock()` that cannot fail, `Condvar::wait` on
//!   `&mut MutexGuard`), so no call site needs a `cfg`.
//! - **Miri gets std's mutex**: parking_lot_core's Linux parker passes an `&AtomicI32`
//!   to the variadic `syscall(SYS_futex, ..)`, which Miri reports as undefined
//!   behaviour under contention; std's futex is modelled by Miri itself.
//! - **`Arc` is std's under loom too**: loom's `Arc` supports neither `self: &Arc<Self>`
//!   receivers nor unsized coercion. Models that want a leak check hold a
//!   `loom::sync::Arc` probe in what they watch (see `loom-tests/tests/task_probe`).
//! - **Capacities shrink under loom** where a batch or queue has a size, so the "full"
//!   paths are reachable in a model ([`WakeBatch`](crate::WakeBatch)).

#[cfg(not(weft_loom))]
mod imp {
    /// Locks, `Arc` and atomics.
    pub mod sync {
        pub use std::sync::atomic;
        pub use std::sync::Arc;

        #[cfg(not(miri))]
        pub use parking::{Condvar, Mutex, MutexGuard};
        #[cfg(miri)]
        pub use std_lock::{Condvar, Mutex, MutexGuard};

        #[cfg(not(miri))]
        mod parking {
            /// A mutex whose `lock` never fails (parking_lot: no poisoning).
            pub type Mutex<T> = parking_lot::Mutex<T>;
            /// The guard of [`Mutex`].
            pub type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

            /// A condition variable paired with [`Mutex`].
            #[derive(Debug, Default)]
            pub struct Condvar(parking_lot::Condvar);

            impl Condvar {
                /// A new condition variable.
                pub const fn new() -> Self {
                    Condvar(parking_lot::Condvar::new())
                }

                /// Blocks until notified (or spuriously), releasing the lock meanwhile.
                pub fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
                    self.0.wait(guard);
                }

                /// Waits at most `timeout`; returns `true` if it timed out.
                pub fn wait_timeout<T>(
                    &self,
                    guard: &mut MutexGuard<'_, T>,
                    timeout: std::time::Duration,
                ) -> bool {
                    self.0.wait_for(guard, timeout).timed_out()
                }

                /// Wakes one waiter.
                pub fn notify_one(&self) {
                    self.0.notify_one();
                }

                /// Wakes every waiter.
                pub fn notify_all(&self) {
                    self.0.notify_all();
                }
            }
        }

        #[cfg(miri)]
        mod std_lock {
            use std::sync::PoisonError;

            /// std's mutex with parking_lot's infallible `lock`.
            #[derive(Debug, Default)]
            pub struct Mutex<T>(std::sync::Mutex<T>);
            /// The guard of [`Mutex`].
            pub type MutexGuard<'a, T> = std::sync::MutexGuard<'a, T>;

            impl<T> Mutex<T> {
                /// A new mutex holding `value`.
                pub const fn new(value: T) -> Self {
                    Mutex(std::sync::Mutex::new(value))
                }

                /// Locks; a poisoned lock is taken as it is.
                pub fn lock(&self) -> MutexGuard<'_, T> {
                    self.0.lock().unwrap_or_else(PoisonError::into_inner)
                }

                /// Locks if free.
                pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
                    match self.0.try_lock() {
                        Ok(guard) => Some(guard),
                        Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                            Some(poisoned.into_inner())
                        }
                        Err(std::sync::TryLockError::WouldBlock) => None,
                    }
                }

                /// The value, the mutex consumed.
                pub fn into_inner(self) -> T {
                    self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
                }

                /// The value, through exclusive access.
                pub fn get_mut(&mut self) -> &mut T {
                    self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
                }
            }

            /// std's condition variable with the facade's signatures.
            #[derive(Debug, Default)]
            pub struct Condvar(std::sync::Condvar);

            impl Condvar {
                /// A new condition variable.
                pub const fn new() -> Self {
                    Condvar(std::sync::Condvar::new())
                }

                /// Blocks until notified (or spuriously), releasing the lock meanwhile.
                pub fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
                    crate::loom::replace_guard(guard, |g| {
                        self.0.wait(g).unwrap_or_else(PoisonError::into_inner)
                    });
                }

                /// Waits at most `timeout`; returns `true` if it timed out.
                pub fn wait_timeout<T>(
                    &self,
                    guard: &mut MutexGuard<'_, T>,
                    timeout: std::time::Duration,
                ) -> bool {
                    let mut timed_out = false;
                    crate::loom::replace_guard(guard, |g| {
                        let (g, result) = self
                            .0
                            .wait_timeout(g, timeout)
                            .unwrap_or_else(PoisonError::into_inner);
                        timed_out = result.timed_out();
                        g
                    });
                    timed_out
                }

                /// Wakes one waiter.
                pub fn notify_one(&self) {
                    self.0.notify_one();
                }

                /// Wakes every waiter.
                pub fn notify_all(&self) {
                    self.0.notify_all();
                }
            }
        }
    }

    /// Cells whose accesses a model can see.
    pub mod cell {
        /// `std::cell::UnsafeCell` with loom's closure-based access.
        #[derive(Debug, Default)]
        pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

        impl<T> UnsafeCell<T> {
            /// A new cell holding `value`.
            pub const fn new(value: T) -> Self {
                UnsafeCell(std::cell::UnsafeCell::new(value))
            }

            /// Runs `f` with a shared pointer to the value.
            #[inline(always)]
            pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
                f(self.0.get())
            }

            /// Runs `f` with a mutable pointer to the value.
            #[inline(always)]
            pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
                f(self.0.get())
            }

            /// The value, the cell consumed.
            pub fn into_inner(self) -> T {
                self.0.into_inner()
            }
        }
    }

    pub use std::thread;

    /// Hints to the processor (and, under loom, to the model).
    pub mod hint {
        /// Spin-loop hint; under loom a yield, so the model can make progress.
        #[inline(always)]
        pub fn spin_loop() {
            std::hint::spin_loop();
        }
    }

    pub use crossbeam_deque as deque;
}

#[cfg(weft_loom)]
mod imp {
    /// Locks, `Arc` and atomics.
    pub mod sync {
        pub use loom::sync::atomic;
        pub use std::sync::Arc;

        /// loom's mutex with parking_lot's infallible `lock`.
        #[derive(Debug)]
        pub struct Mutex<T>(loom::sync::Mutex<T>);
        /// The guard of [`Mutex`].
        pub type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

        impl<T> Mutex<T> {
            /// A new mutex holding `value`.
            pub fn new(value: T) -> Self {
                Mutex(loom::sync::Mutex::new(value))
            }

            /// Locks.
            pub fn lock(&self) -> MutexGuard<'_, T> {
                self.0.lock().expect("loom mutex poisoned")
            }

            /// Locks if free.
            pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
                self.0.try_lock().ok()
            }

            /// The value, the mutex consumed.
            pub fn into_inner(self) -> T {
                self.0.into_inner().expect("loom mutex poisoned")
            }

            /// The value, through exclusive access.
            pub fn get_mut(&mut self) -> &mut T {
                self.0.get_mut().expect("loom mutex poisoned")
            }
        }

        impl<T: Default> Default for Mutex<T> {
            fn default() -> Self {
                Mutex::new(T::default())
            }
        }

        /// loom's condition variable with the facade's signatures.
        #[derive(Debug, Default)]
        pub struct Condvar(loom::sync::Condvar);

        impl Condvar {
            /// A new condition variable.
            pub fn new() -> Self {
                Condvar(loom::sync::Condvar::new())
            }

            /// Blocks until notified (or spuriously), releasing the lock meanwhile.
            pub fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
                crate::loom::replace_guard(guard, |g| self.0.wait(g).expect("loom condvar"));
            }

            /// loom has no time: a timed wait is an untimed one that may return
            /// spuriously, which is all callers may assume anyway.
            pub fn wait_timeout<T>(
                &self,
                guard: &mut MutexGuard<'_, T>,
                _timeout: std::time::Duration,
            ) -> bool {
                self.wait(guard);
                false
            }

            /// Wakes one waiter.
            pub fn notify_one(&self) {
                self.0.notify_one();
            }

            /// Wakes every waiter.
            pub fn notify_all(&self) {
                self.0.notify_all();
            }
        }
    }

    /// Cells whose accesses the model checks.
    pub mod cell {
        /// loom's cell, plus the `into_inner` the std side has.
        #[derive(Debug)]
        pub struct UnsafeCell<T>(loom::cell::UnsafeCell<T>);

        impl<T> UnsafeCell<T> {
            /// A new cell holding `value`.
            pub fn new(value: T) -> Self {
                UnsafeCell(loom::cell::UnsafeCell::new(value))
            }

            /// Runs `f` with a shared pointer to the value.
            pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
                self.0.with(f)
            }

            /// Runs `f` with a mutable pointer to the value.
            pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
                self.0.with_mut(f)
            }

            /// The value, the cell consumed.
            pub fn into_inner(self) -> T {
                self.0.into_inner()
            }
        }

        impl<T: Default> Default for UnsafeCell<T> {
            fn default() -> Self {
                UnsafeCell::new(T::default())
            }
        }
    }

    pub use loom::thread;

    /// Hints to the processor (and, under loom, to the model).
    pub mod hint {
        /// Under loom a yield, so a spinning thread lets the model make progress.
        pub fn spin_loop() {
            loom::thread::yield_now();
        }
    }

    /// A loom-visible stand-in for crossbeam-deque with the same interface.
    ///
    /// crossbeam-deque's epoch-based internals cannot run under loom; this stand-in
    /// keeps the operations the scheduler uses (and their observable outcomes:
    /// `Empty`, `Success`, `Retry`) on loom mutexes, so the models check weft's own
    /// orderings around the queues.
    pub mod deque {
        use super::sync::{Arc, Mutex};
        use std::collections::VecDeque;

        /// The outcome of a steal.
        #[derive(Debug)]
        pub enum Steal<T> {
            /// The queue was empty.
            Empty,
            /// A task was taken.
            Success(T),
            /// Lost a race; try again.
            Retry,
        }

        impl<T> Steal<T> {
            /// Whether the steal should be retried.
            pub fn is_retry(&self) -> bool {
                matches!(self, Steal::Retry)
            }

            /// The stolen value, if any.
            pub fn success(self) -> Option<T> {
                match self {
                    Steal::Success(t) => Some(t),
                    _ => None,
                }
            }
        }

        /// The owner's end of a local queue.
        pub struct Worker<T> {
            queue: Arc<Mutex<VecDeque<T>>>,
        }

        /// Another thread's end of a local queue.
        pub struct Stealer<T> {
            queue: Arc<Mutex<VecDeque<T>>>,
        }

        impl<T> Clone for Stealer<T> {
            fn clone(&self) -> Self {
                Stealer {
                    queue: self.queue.clone(),
                }
            }
        }

        impl<T> Worker<T> {
            /// A FIFO queue.
            pub fn new_fifo() -> Self {
                Worker {
                    queue: Arc::new(Mutex::new(VecDeque::new())),
                }
            }

            /// A stealer for this queue.
            pub fn stealer(&self) -> Stealer<T> {
                Stealer {
                    queue: self.queue.clone(),
                }
            }

            /// Pushes at the back.
            pub fn push(&self, value: T) {
                self.queue.lock().push_back(value);
            }

            /// Pops from the front.
            pub fn pop(&self) -> Option<T> {
                self.queue.lock().pop_front()
            }

            /// Whether the queue is empty.
            pub fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }

            /// How many values it holds.
            pub fn len(&self) -> usize {
                self.queue.lock().len()
            }
        }

        impl<T> Stealer<T> {
            /// Steals about half the queue into `dest` and pops one of them.
            pub fn steal_batch_and_pop(&self, dest: &Worker<T>) -> Steal<T> {
                // Take the batch under the source lock alone, then release it before
                // touching the destination: two workers stealing from each other must
                // not hold both locks in opposite orders.
                let (first, batch) = {
                    let mut src = self.queue.lock();
                    let Some(first) = src.pop_front() else {
                        return Steal::Empty;
                    };
                    let half = src.len().div_ceil(2);
                    let batch: Vec<T> = src.drain(..half).collect();
                    (first, batch)
                };
                let mut dst = dest.queue.lock();
                dst.extend(batch);
                Steal::Success(first)
            }

            /// Steals one value.
            pub fn steal(&self) -> Steal<T> {
                match self.queue.lock().pop_front() {
                    Some(t) => Steal::Success(t),
                    None => Steal::Empty,
                }
            }

            /// Whether the queue is empty.
            pub fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }
        }

        /// The global queue.
        pub struct Injector<T> {
            queue: Mutex<VecDeque<T>>,
        }

        impl<T> Default for Injector<T> {
            fn default() -> Self {
                Injector::new()
            }
        }

        impl<T> Injector<T> {
            /// An empty injector.
            pub fn new() -> Self {
                Injector {
                    queue: Mutex::new(VecDeque::new()),
                }
            }

            /// Pushes at the back.
            pub fn push(&self, value: T) {
                self.queue.lock().push_back(value);
            }

            /// Steals one value.
            pub fn steal(&self) -> Steal<T> {
                match self.queue.lock().pop_front() {
                    Some(t) => Steal::Success(t),
                    None => Steal::Empty,
                }
            }

            /// Steals a small batch into `dest` and pops one of them.
            pub fn steal_batch_and_pop(&self, dest: &Worker<T>) -> Steal<T> {
                let mut src = self.queue.lock();
                let Some(first) = src.pop_front() else {
                    return Steal::Empty;
                };
                if let Some(t) = src.pop_front() {
                    dest.push(t);
                }
                Steal::Success(first)
            }

            /// Whether the injector is empty.
            pub fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }
        }
    }
}

pub use imp::*;

/// Runs `f` on the guard by value and puts the result back: how a condition variable
/// that takes its guard by value (std's, loom's) gets the facade's `&mut` signature.
#[cfg(any(miri, weft_loom))]
fn replace_guard<G>(slot: &mut G, f: impl FnOnce(G) -> G) {
    /// Aborts if `f` unwinds: the slot then holds a guard already moved out.
    struct AbortOnUnwind;

    impl Drop for AbortOnUnwind {
        fn drop(&mut self) {
            std::process::abort();
        }
    }

    let abort = AbortOnUnwind;
    // SAFETY: `slot` is read out and written back before returning, so the guard is
    // owned exactly once at every point; if `f` unwinds in between, `abort` turns the
    // double drop that would follow into an abort.
    unsafe {
        let guard = std::ptr::read(slot);
        std::ptr::write(slot, f(guard));
    }
    std::mem::forget(abort);
}
