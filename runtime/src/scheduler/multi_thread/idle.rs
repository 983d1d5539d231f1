//! `Idle`: which workers sleep, how many search for work, and whom to wake.
//!
//! ```text
//!  63                       16 15                  0
//! +---------------------------+---------------------+
//! |      unparked workers     |  searching workers  |
//! +---------------------------+---------------------+
//! ```
//!
//! A worker is *unparked* unless it sits in `sleepers`; an unparked worker is
//! *searching* while it looks for work in other queues with nothing of its own.
//!
//! # Rules
//!
//! 1. At most half the workers search at once (`transition_worker_to_searching`); the
//!    rest park, so a burst of wakes does not put every core in a stealing frenzy.
//! 2. A waker wakes a sleeper only if nobody searches and somebody sleeps: a searcher
//!    will find the new work by itself. The woken worker is counted as searching
//!    *before* it runs, so a second wake right after does not wake a second sleeper.
//! 3. No lost wakeup. A worker going to sleep first counts itself out
//!    (`transition_worker_to_parked`, a SeqCst RMW), then issues a SeqCst fence and
//!    looks at every queue once more. A pusher first pushes, then issues a SeqCst fence
//!    and reads the counts. Either the pusher sees the worker counted out (and wakes a
//!    sleeper) or the worker's last look sees the pushed task. loom checks this
//!    (`loom-tests/tests/scheduler_park.rs`).
//! 4. `sleepers` and the unparked count change together under the `sleepers` lock.

use crate::loom::sync::atomic::{fence, AtomicUsize, Ordering::Relaxed, Ordering::SeqCst};
use crate::loom::Mutex;

const SEARCH_MASK: usize = (1 << UNPARK_SHIFT) - 1;
const UNPARK_SHIFT: usize = 16;
const ONE_SEARCHING: usize = 1;
const ONE_UNPARKED: usize = 1 << UNPARK_SHIFT;

pub(crate) struct Idle {
    state: AtomicUsize,
    sleepers: Mutex<Vec<usize>>,
    num_workers: usize,
}

impl Idle {
    pub(crate) fn new(num_workers: usize) -> Idle {
        Idle {
            state: AtomicUsize::new(num_workers << UNPARK_SHIFT),
            sleepers: Mutex::new(Vec::with_capacity(num_workers)),
            num_workers,
        }
    }

    /// The worker to wake for new work, already counted unparked and searching; `None`
    /// if a searcher exists or nobody sleeps (rule 2). The caller must have published
    /// the work and issued a SeqCst fence first (rule 3).
    pub(crate) fn worker_to_notify(&self) -> Option<usize> {
        if !self.should_wake() {
            return None;
        }
        let mut sleepers = self.sleepers.lock();
        if !self.should_wake() {
            return None;
        }
        let worker = sleepers.pop()?;
        self.state.fetch_add(ONE_SEARCHING | ONE_UNPARKED, SeqCst);
        Some(worker)
    }

    fn should_wake(&self) -> bool {
        let state = self.state.load(SeqCst);
        searching(state) == 0 && unparked(state) < self.num_workers
    }

    /// A cheap, racy look: could a wake be useful at all? Used to skip the fence on
    /// paths where a missed wake only costs parallelism, never progress.
    pub(crate) fn has_sleepers_relaxed(&self) -> bool {
        let state = self.state.load(Relaxed);
        searching(state) == 0 && unparked(state) < self.num_workers
    }

    /// A sleeping worker, left in `sleepers` (the monitor's spurious wake, `monitor.rs`
    /// rule 3).
    pub(crate) fn any_sleeper(&self) -> Option<usize> {
        self.sleepers.lock().last().copied()
    }

    /// `true` if every worker sleeps (read by the monitor before it sleeps too,
    /// `monitor.rs` rule 4).
    pub(crate) fn all_parked(&self) -> bool {
        unparked(self.state.load(SeqCst)) == 0
    }

    /// Tries to become a searcher; fails when half the workers already search (rule 1).
    pub(crate) fn transition_worker_to_searching(&self) -> bool {
        let state = self.state.load(SeqCst);
        if 2 * searching(state) >= self.num_workers {
            return false;
        }
        self.state.fetch_add(ONE_SEARCHING, SeqCst);
        true
    }

    /// A searching worker found work (rule 2): it stops searching, and if it was the
    /// last searcher and `more_work()` still sees work queued, returns a sleeper to
    /// wake for it. The fence orders the stop before the look, as a pusher's fence
    /// orders its push before reading the counts (rule 3): either the pusher sees no
    /// searcher and wakes someone, or this look sees its work.
    pub(crate) fn searcher_found_work(&self, more_work: impl FnOnce() -> bool) -> Option<usize> {
        if !self.transition_worker_from_searching() {
            return None;
        }
        fence(SeqCst);
        if more_work() {
            self.worker_to_notify()
        } else {
            None
        }
    }

    /// Stops searching; returns `true` if this was the last searcher.
    fn transition_worker_from_searching(&self) -> bool {
        let prev = self.state.fetch_sub(ONE_SEARCHING, SeqCst);
        debug_assert!(searching(prev) > 0);
        searching(prev) == 1
    }

    /// Counts the worker out and records it as a sleeper, then fences (rule 3). The
    /// caller must look at the queues once more before sleeping.
    pub(crate) fn transition_worker_to_parked(&self, worker: usize, is_searching: bool) {
        let mut sleepers = self.sleepers.lock();
        let delta = ONE_UNPARKED + if is_searching { ONE_SEARCHING } else { 0 };
        self.state.fetch_sub(delta, SeqCst);
        sleepers.push(worker);
        drop(sleepers);
        fence(SeqCst);
    }

    /// The worker found work on its last look (or was woken spuriously) and takes
    /// itself out of `sleepers`. Returns `true` if it did; `false` if a waker already
    /// popped it, in which case it was counted as searching (rule 2).
    pub(crate) fn unpark_worker_by_id(&self, worker: usize) -> bool {
        let mut sleepers = self.sleepers.lock();
        match sleepers.iter().position(|&w| w == worker) {
            Some(i) => {
                sleepers.swap_remove(i);
                self.state.fetch_add(ONE_UNPARKED, SeqCst);
                true
            }
            None => false,
        }
    }

    /// `true` while the worker is still in `sleepers` (its wake was spurious).
    pub(crate) fn is_parked(&self, worker: usize) -> bool {
        self.sleepers.lock().contains(&worker)
    }

    /// The park protocol (rule 3), shared by every worker: counts `worker` out, looks
    /// for work once more, and sleeps until it is woken on purpose or work shows up.
    /// `has_work` looks at every queue the worker could take from; `sleep` blocks
    /// until an unpark (or spuriously). Returns how the worker left.
    pub(crate) fn park_worker(
        &self,
        worker: usize,
        was_searching: bool,
        has_work: impl Fn() -> bool,
        mut sleep: impl FnMut(),
    ) -> Unparked {
        self.transition_worker_to_parked(worker, was_searching);
        if has_work() {
            return self.leave_sleepers(worker);
        }
        loop {
            sleep();
            if has_work() {
                return self.leave_sleepers(worker);
            }
            if !self.is_parked(worker) {
                // Woken on purpose: a waker counted it searching (rule 2).
                return Unparked::Notified;
            }
        }
    }

    /// The worker found work itself; if a waker popped it meanwhile, it is counted
    /// searching all the same.
    fn leave_sleepers(&self, worker: usize) -> Unparked {
        if self.unpark_worker_by_id(worker) {
            Unparked::FoundWork
        } else {
            Unparked::FoundWorkAndNotified
        }
    }
}

/// How a worker left [`Idle::park_worker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unparked {
    /// It saw work itself and took itself out of the sleepers: not searching.
    FoundWork,
    /// It saw work, but a waker had already popped it: counted searching.
    FoundWorkAndNotified,
    /// A waker woke it on purpose: counted searching, work not seen yet.
    Notified,
}

fn searching(state: usize) -> usize {
    state & SEARCH_MASK
}

fn unparked(state: usize) -> usize {
    state >> UNPARK_SHIFT
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn wakes_nobody_while_someone_searches() {
        let idle = Idle::new(4);
        idle.transition_worker_to_parked(3, false);
        assert!(idle.transition_worker_to_searching());
        assert_eq!(idle.worker_to_notify(), None);
        // The last searcher finds work with more queued: it wakes the sleeper.
        assert_eq!(idle.searcher_found_work(|| true), Some(3));
        // The woken worker counts as searching: no second wake.
        assert_eq!(idle.worker_to_notify(), None);
    }

    #[test]
    fn at_most_half_search() {
        let idle = Idle::new(4);
        assert!(idle.transition_worker_to_searching());
        assert!(idle.transition_worker_to_searching());
        assert!(!idle.transition_worker_to_searching());
    }

    #[test]
    fn unpark_by_id_is_idempotent() {
        let idle = Idle::new(2);
        idle.transition_worker_to_parked(1, false);
        assert!(idle.is_parked(1));
        assert!(idle.unpark_worker_by_id(1));
        assert!(!idle.unpark_worker_by_id(1));
        assert!(!idle.is_parked(1));
        assert_eq!(idle.worker_to_notify(), None);
    }
}
