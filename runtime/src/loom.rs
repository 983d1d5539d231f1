//! The one place the runtime takes its synchronisation primitives from.
//!
//! Every atomic, cell, lock, `Arc` and thread in `weft` is imported from here and
//! nowhere else. Under `--cfg weft_loom` the same names are loom's model-checked
//! versions, so the loom models in `loom-tests/` exercise the real code paths.
//!
//! The std side is given loom's API shape where the two differ
//! ([`UnsafeCell::with`]/[`UnsafeCell::with_mut`], a `lock()` that cannot fail),
//! so no call site needs a `cfg`.

#[cfg(not(weft_loom))]
mod imp {
    pub(crate) use std::sync::Arc;
    pub(crate) use std::thread;

    pub(crate) mod sync {
        pub(crate) use std::sync::atomic;
    }

    /// A mutex whose `lock` never fails (parking_lot: no poisoning).
    pub(crate) type Mutex<T> = parking_lot::Mutex<T>;
    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    /// A condition variable paired with [`Mutex`].
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }

        pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            self.0.wait(guard);
        }

        /// Waits at most `timeout`; returns `true` if it timed out.
        pub(crate) fn wait_timeout<T>(
            &self,
            guard: &mut MutexGuard<'_, T>,
            timeout: std::time::Duration,
        ) -> bool {
            self.0.wait_for(guard, timeout).timed_out()
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
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
    }

    /// Spin-loop hint; under loom a yield so the model can make progress.
    #[inline(always)]
    pub(crate) fn spin_loop() {
        std::hint::spin_loop();
    }

    pub(crate) use crossbeam_deque as deque;
}

#[cfg(weft_loom)]
mod imp {
    // loom's `Arc` supports neither `self: &Arc<Self>` receivers nor unsized
    // coercion; the models count their own allocations instead of relying on its
    // leak check, so std's `Arc` serves under loom as well.
    pub(crate) use loom::thread;
    pub(crate) use std::sync::Arc;

    pub(crate) mod sync {
        pub(crate) use loom::sync::atomic;
    }

    /// loom's mutex with parking_lot's infallible `lock`.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);
    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().expect("loom mutex poisoned")
        }

        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock().ok()
        }
    }

    impl<T: Default> Default for Mutex<T> {
        fn default() -> Self {
            Mutex::new(T::default())
        }
    }

    /// loom's condition variable with the std facade's signatures.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            replace_guard(guard, |g| self.0.wait(g).expect("loom condvar"));
        }

        /// loom has no time: a timed wait is an untimed one that may return
        /// spuriously, which is all callers may assume anyway.
        pub(crate) fn wait_timeout<T>(
            &self,
            guard: &mut MutexGuard<'_, T>,
            _timeout: std::time::Duration,
        ) -> bool {
            self.wait(guard);
            false
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    /// Runs `f` on the guard by value and puts the result back.
    fn replace_guard<'a, T>(
        slot: &mut MutexGuard<'a, T>,
        f: impl FnOnce(MutexGuard<'a, T>) -> MutexGuard<'a, T>,
    ) {
        // SAFETY: `slot` is read out and written back before returning; `f`
        // (loom's Condvar::wait) does not unwind in a model, and if it did the
        // abort guard below turns the double drop into an abort.
        unsafe {
            let guard = std::ptr::read(slot);
            let abort = AbortOnUnwind;
            std::ptr::write(slot, f(guard));
            std::mem::forget(abort);
        }
    }

    struct AbortOnUnwind;

    impl Drop for AbortOnUnwind {
        fn drop(&mut self) {
            std::process::abort();
        }
    }

    pub(crate) use loom::cell::UnsafeCell;

    pub(crate) fn spin_loop() {
        loom::thread::yield_now();
    }

    /// A loom-visible stand-in for crossbeam-deque with the same interface.
    ///
    /// crossbeam-deque's epoch-based internals cannot run under loom; this
    /// stand-in keeps the operations the scheduler uses (and their
    /// observable outcomes: `Empty`, `Success`, `Retry`) on a loom mutex, so the
    /// models check weft's own orderings around the queues.
    pub(crate) mod deque {
        use super::{Arc, Mutex};
        use std::collections::VecDeque;

        #[derive(Debug)]
        pub(crate) enum Steal<T> {
            Empty,
            Success(T),
            Retry,
        }

        impl<T> Steal<T> {
            pub(crate) fn is_retry(&self) -> bool {
                matches!(self, Steal::Retry)
            }

            pub(crate) fn success(self) -> Option<T> {
                match self {
                    Steal::Success(t) => Some(t),
                    _ => None,
                }
            }
        }

        pub(crate) struct Worker<T> {
            queue: Arc<Mutex<VecDeque<T>>>,
        }

        pub(crate) struct Stealer<T> {
            queue: Arc<Mutex<VecDeque<T>>>,
        }

        impl<T> Worker<T> {
            pub(crate) fn new_fifo() -> Self {
                Worker {
                    queue: Arc::new(Mutex::new(VecDeque::new())),
                }
            }

            pub(crate) fn stealer(&self) -> Stealer<T> {
                Stealer {
                    queue: self.queue.clone(),
                }
            }

            pub(crate) fn push(&self, value: T) {
                self.queue.lock().push_back(value);
            }

            pub(crate) fn pop(&self) -> Option<T> {
                self.queue.lock().pop_front()
            }

            pub(crate) fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }

            pub(crate) fn len(&self) -> usize {
                self.queue.lock().len()
            }
        }

        impl<T> Stealer<T> {
            pub(crate) fn steal_batch_and_pop(&self, dest: &Worker<T>) -> Steal<T> {
                // Take the batch under the source lock alone, then release it
                // before touching the destination: two workers stealing from
                // each other must not hold both locks in opposite orders.
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

            pub(crate) fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }
        }

        pub(crate) struct Injector<T> {
            queue: Mutex<VecDeque<T>>,
        }

        impl<T> Injector<T> {
            pub(crate) fn new() -> Self {
                Injector {
                    queue: Mutex::new(VecDeque::new()),
                }
            }

            pub(crate) fn push(&self, value: T) {
                self.queue.lock().push_back(value);
            }

            pub(crate) fn steal(&self) -> Steal<T> {
                match self.queue.lock().pop_front() {
                    Some(t) => Steal::Success(t),
                    None => Steal::Empty,
                }
            }

            pub(crate) fn steal_batch_and_pop(&self, dest: &Worker<T>) -> Steal<T> {
                let mut src = self.queue.lock();
                let Some(first) = src.pop_front() else {
                    return Steal::Empty;
                };
                if let Some(t) = src.pop_front() {
                    dest.push(t);
                }
                Steal::Success(first)
            }

            pub(crate) fn is_empty(&self) -> bool {
                self.queue.lock().is_empty()
            }
        }
    }
}

pub(crate) use imp::*;
