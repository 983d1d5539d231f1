//! `WakeBatch`: wakers collected under a lock, woken after it is released — the one
//! batch weft's primitives, reactor and timers share.
//!
//! # Rules
//!
//! 1. **Never under a lock.** A foreign waker is never woken, nor dropped, while one of
//!    weft's locks is held: a waker may do anything (run a task inline, take another of
//!    our locks, panic). Code that finds waiters under a lock pushes their wakers here,
//!    releases the lock, then calls [`WakeBatch::wake_all`]. When the batch is full
//!    ([`has_room`](WakeBatch::has_room) is false) the caller releases the lock, wakes,
//!    re-locks and carries on, with its state consistent at that point.
//! 2. **One bad waker costs nobody else their wake-up.** `wake_all` wakes every waker
//!    even if some panic; it then resumes the first panic. A batch dropped with wakers
//!    still in it (its owner unwound before waking) wakes them in `Drop`, swallowing
//!    their panics (a panic in a drop during unwinding would abort).
//! 3. **Small under loom.** A batch holds [`WakeBatch::CAPACITY`] wakers: 32 (as tokio's
//!    `WakeList`, 512 bytes on the stack), 1 under `weft_loom` so models reach the
//!    "batch full: unlock, wake, re-lock" path.

use std::mem::MaybeUninit;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::task::Waker;

/// Wakers collected under a lock, to be woken after it is released (module rules).
///
/// The slots beyond `len` are uninitialised, so making and dropping an empty batch
/// (the common case) costs nothing per slot.
#[must_use = "wakers collected into a batch must be woken with `wake_all`"]
pub struct WakeBatch {
    /// `wakers[..len]` are initialised; the rest are not.
    wakers: [MaybeUninit<Waker>; WakeBatch::CAPACITY],
    len: usize,
}

impl WakeBatch {
    /// How many wakers a batch holds (rule 3).
    pub const CAPACITY: usize = if cfg!(weft_loom) { 1 } else { 32 };

    /// An empty batch.
    pub const fn new() -> WakeBatch {
        WakeBatch {
            wakers: [const { MaybeUninit::uninit() }; WakeBatch::CAPACITY],
            len: 0,
        }
    }

    /// Whether another waker fits.
    pub fn has_room(&self) -> bool {
        self.len < Self::CAPACITY
    }

    /// Whether the batch holds no waker.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `waker`, if there is one (a waiter queued before its first poll has none).
    ///
    /// # Panics
    ///
    /// If the batch is full: callers check [`has_room`](Self::has_room) first.
    pub fn push(&mut self, waker: impl Into<Option<Waker>>) {
        if let Some(waker) = waker.into() {
            assert!(self.has_room(), "WakeBatch::push on a full batch");
            self.wakers[self.len].write(waker);
            self.len += 1;
        }
    }

    /// Takes the wakers out, leaving the batch empty.
    fn take(&mut self) -> impl Iterator<Item = Waker> + '_ {
        let len = std::mem::replace(&mut self.len, 0);
        self.wakers[..len].iter_mut().map(|slot| {
            // SAFETY: slots below the old `len` were initialised by `push`, and `len`
            // is already zero, so each is read out exactly once.
            unsafe { slot.assume_init_read() }
        })
    }

    /// Wakes every waker and empties the batch, for reuse (rule 2). Call with no lock
    /// held.
    ///
    /// # Panics
    ///
    /// With the first waker's panic, once every waker has been woken.
    pub fn wake_all(&mut self) {
        let mut first_panic = None;
        for waker in self.take() {
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| waker.wake())) {
                first_panic.get_or_insert(payload);
            }
        }
        if let Some(payload) = first_panic {
            resume_unwind(payload);
        }
    }
}

impl Default for WakeBatch {
    fn default() -> WakeBatch {
        WakeBatch::new()
    }
}

impl Drop for WakeBatch {
    fn drop(&mut self) {
        // Empty unless the owner unwound before waking (rule 2): wake what is left
        // rather than lose the wake-ups.
        for waker in self.take() {
            let _ = catch_unwind(AssertUnwindSafe(|| waker.wake()));
        }
    }
}

impl std::fmt::Debug for WakeBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakeBatch").field("len", &self.len).finish()
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::WakeBatch;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    struct Counting {
        woken: AtomicUsize,
        panics: bool,
    }

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.woken.fetch_add(1, SeqCst);
            assert!(!self.panics, "a waker that panics");
        }
    }

    fn waker(panics: bool) -> (Arc<Counting>, Waker) {
        let counting = Arc::new(Counting {
            woken: AtomicUsize::new(0),
            panics,
        });
        (counting.clone(), Waker::from(counting))
    }

    #[test]
    fn a_panicking_waker_does_not_cost_the_others_their_wake_up() {
        let mut batch = WakeBatch::new();
        let (bad, bad_waker) = waker(true);
        batch.push(bad_waker);
        let good: Vec<_> = (1..WakeBatch::CAPACITY)
            .map(|_| {
                let (counting, waker) = waker(false);
                batch.push(waker);
                counting
            })
            .collect();
        let unwound = catch_unwind(AssertUnwindSafe(|| batch.wake_all()));
        assert!(unwound.is_err(), "the panic was swallowed");
        assert_eq!(bad.woken.load(SeqCst), 1);
        assert!(good.iter().all(|c| c.woken.load(SeqCst) == 1));
        assert!(batch.is_empty());
    }

    #[test]
    fn a_batch_dropped_unwoken_wakes_its_wakers() {
        let (counting, waker) = waker(false);
        let mut batch = WakeBatch::new();
        batch.push(waker);
        drop(batch);
        assert_eq!(counting.woken.load(SeqCst), 1);
    }

    #[test]
    fn a_full_batch_has_no_room_and_is_reusable_after_waking() {
        let mut batch = WakeBatch::new();
        let counting: Vec<_> = (0..WakeBatch::CAPACITY)
            .map(|_| {
                let (counting, waker) = waker(false);
                batch.push(waker);
                counting
            })
            .collect();
        assert!(!batch.has_room());
        batch.wake_all();
        assert!(batch.has_room() && batch.is_empty());
        assert!(counting.iter().all(|c| c.woken.load(SeqCst) == 1));
    }
}
