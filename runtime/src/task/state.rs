//! The task state word: one `AtomicUsize` that every thread touching a task agrees on.
//!
//! ```text
//!  63                                      7   6   5   4   3   2   1   0
//! +------------------------------------------+---+---+---+---+---+---+---+
//! |             reference count              | A | C | W | J | N | D | R |
//! +------------------------------------------+---+---+---+---+---+---+---+
//!   R  RUNNING        one thread owns the future and is polling (or dropping) it
//!   D  COMPLETE       the future is gone; the stage holds the output (or was consumed)
//!   N  NOTIFIED       a `Notified` reference for the task sits in some run queue,
//!                     or (while RUNNING) a wake arrived and the poller must re-queue
//!   J  JOIN_INTEREST  the `Task<T>` handle is alive and will read the output
//!   W  JOIN_WAKER     the join waker slot is set and belongs to the task (see rules)
//!   C  CANCELLED      a cancellation request is waiting to be delivered: to the
//!                     innermost cancellable region polled, or, with no region alive,
//!                     by dropping the future (`cancel.rs`)
//!   A  ABORTED        the future must be dropped at the next chance, regions or not
//!                     (runtime shutdown)
//! ```
//!
//! Lifecycle, drawn over `R` and `D` (the other bits are orthogonal):
//!
//! ```text
//!             transition_to_running           transition_to_complete
//!   IDLE (R=0,D=0) ----------------> RUNNING (R=1,D=0) ----------------> COMPLETE (R=0,D=1)
//!        ^                               |
//!        +-------------------------------+
//!             transition_to_idle (Pending)
//! ```
//!
//! | R | D | meaning                                   | who may touch the stage          |
//! |---|---|-------------------------------------------|----------------------------------|
//! | 0 | 0 | idle: waiting for a wake                  | whoever sets R                   |
//! | 1 | 0 | running: being polled, cancelled or shut down | the thread that set R        |
//! | 0 | 1 | complete: output stored or consumed       | the `Task<T>` handle (J set), else the completer |
//! | 1 | 1 | never                                     | —                                |
//!
//! What the poller does with a cancellation request (C, A) and the task's live
//! cancellable regions (a count kept in the header, read by the poller):
//!
//! | A | C | regions | at `transition_to_running` | after a `Pending` poll        |
//! |---|---|---------|----------------------------|-------------------------------|
//! | 0 | 0 | any     | poll                       | go idle                       |
//! | 0 | 1 | 0       | drop the future            | drop the future               |
//! | 0 | 1 | > 0     | poll: a region catches C   | go idle, C kept for a region  |
//! | 1 | * | any     | drop the future            | drop the future               |
//!
//! After a `Ready` poll, a waiting C (A unset, not re-armed behind an error) drops the
//! output and ends the task cancelled (`cancel/mod.rs`, rule 1).
//!
//! # Rules
//!
//! 1. **One poller.** Only the thread whose CAS set RUNNING touches the future. A task
//!    is therefore polled by at most one thread at a time.
//! 2. **No lost wake.** A wake during RUNNING sets NOTIFIED without queueing; the poller
//!    sees it in [`State::transition_to_idle`] and re-queues the task (at the back of the
//!    queue: it is a yield, not a message hand-off).
//! 3. **One queued reference.** NOTIFIED set while idle means exactly one `Notified`
//!    exists. A second wake is a no-op.
//! 4. **Output once.** After COMPLETE, the output belongs to the `Task<T>` handle if
//!    JOIN_INTEREST was set at completion; it takes the output at most once. If the
//!    handle was gone, the completer drops the output.
//! 5. **Join waker hand-off.** With JOIN_WAKER unset, the `Task<T>` handle owns the waker
//!    slot and may write it, then set JOIN_WAKER (which fails if COMPLETE was set in the
//!    meantime). With JOIN_WAKER set, the slot belongs to the task: the completer reads
//!    it to wake, then clears JOIN_WAKER; the handle may only clear JOIN_WAKER (a CAS that
//!    fails once COMPLETE is set) to take the slot back.
//! 6. **Freed once.** Every `Notified`, `Task<T>`, owned-list entry and waker holds one
//!    reference. Whoever drops the count to zero frees the memory, exactly once.
//! 7. **Cancel, complete, join drop race.** Every request sets C and wakes the task (a
//!    `Notified`, or NOTIFIED while it runs) unless it is complete; a region clears C
//!    when it takes the request, and so does an `uncancel()` that withdraws it
//!    (`cancel/mod.rs`, rule 3); only the poller does either. A is only ever set.
//!    Every interleaving of cancel, completion and handle drop ends with the output (or
//!    the cancellation error) read or dropped once and the memory freed once; the loom
//!    model `task_state` checks this.
//! 8. **Completion meets late registrations.** Whoever registers something the
//!    completer must see (a done-callback) writes it, then reads the word with
//!    [`State::load_ordered`]; the completer reads what is registered only after
//!    `transition_to_complete`. Both are read-modify-writes of this word, so one
//!    comes first: the registrant sees COMPLETE and runs the callback itself, or the
//!    completer sees the registration. `done.rs` keeps it; the loom model
//!    `done_callback_racing_completion` checks it.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::AcqRel, Ordering::Acquire};
use std::fmt;

/// The future is being polled (or dropped) by the thread that set this bit.
const RUNNING: usize = 0b000_0001;
/// The future has been dropped and the stage holds the output (or nothing).
const COMPLETE: usize = 0b000_0010;
/// Where the task is in its life: the two bits of the lifecycle diagram.
const LIFECYCLE_MASK: usize = RUNNING | COMPLETE;
/// A `Notified` reference exists (queued), or a wake arrived while running.
const NOTIFIED: usize = 0b000_0100;
/// The `Task<T>` handle is alive.
const JOIN_INTEREST: usize = 0b000_1000;
/// The join waker slot holds a waker that belongs to the task side.
const JOIN_WAKER: usize = 0b001_0000;
/// A cancellation request waits to be delivered.
const CANCELLED: usize = 0b010_0000;
/// The future must be dropped, regions or not.
const ABORTED: usize = 0b100_0000;
/// Every flag bit; the reference count lives above them.
const STATE_MASK: usize =
    LIFECYCLE_MASK | NOTIFIED | JOIN_INTEREST | JOIN_WAKER | CANCELLED | ABORTED;
/// The reference count's first bit.
const REF_COUNT_SHIFT: usize = STATE_MASK.count_ones() as usize;
/// One reference.
const REF_ONE: usize = 1 << REF_COUNT_SHIFT;
/// The reference count's bits.
const REF_COUNT_MASK: usize = !STATE_MASK;

/// A new task: three references (the owned list, the first `Notified`, the `Task<T>`
/// handle), NOTIFIED because it is about to be queued, and a live handle.
const INITIAL_STATE: usize = (REF_ONE * 3) | JOIN_INTEREST | NOTIFIED;

/// The atomic state word of one task.
pub(crate) struct State {
    val: AtomicUsize,
}

/// A copy of the state word at one instant.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot(usize);

/// What the poller must do after trying to set RUNNING.
#[must_use = "the caller now owns a poll, a cancellation or a reference to drop"]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToRunning {
    /// RUNNING is set: poll the future.
    Success,
    /// RUNNING is set and a cancellation request waits: drop the future, unless a
    /// cancellable region is alive to catch it (then poll).
    Cancelled,
    /// RUNNING is set and the task was aborted: drop the future.
    Aborted,
    /// The task is running elsewhere or complete: the `Notified` reference was dropped.
    Failed,
    /// As `Failed`, and that was the last reference: free the task.
    Dealloc,
}

/// What the poller must do after a `Pending` poll.
#[must_use = "the caller may now hold a reference to re-queue or free"]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToIdle {
    /// Idle; the poller's reference was dropped and others remain.
    Ok,
    /// A wake arrived during the poll: the poller's reference is now a `Notified` to
    /// re-queue.
    OkNotified,
    /// Idle, and the poller's reference was the last: free the task.
    OkDealloc,
    /// A cancellation request waits and no region can take it, or the task was
    /// aborted: RUNNING is kept; drop the future.
    Cancelled,
}

/// What a waker must do.
#[must_use = "the caller may now hold a reference to queue or free"]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToNotified {
    /// Nothing: already queued, running (the poller re-queues) or complete.
    DoNothing,
    /// The caller holds a new `Notified` reference: queue it.
    Submit,
    /// The caller's reference was the last: free the task.
    Dealloc,
}

/// What dropping the `Task<T>` handle must clean up.
#[must_use = "the handle may have to drop the output and the waker"]
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TransitionToJoinHandleDrop {
    /// The task completed and nobody else will drop the output.
    pub(crate) drop_output: bool,
    /// The handle owns the waker slot and must empty it.
    pub(crate) drop_waker: bool,
}

impl State {
    pub(crate) fn new() -> State {
        State {
            val: AtomicUsize::new(INITIAL_STATE),
        }
    }

    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.val.load(Acquire))
    }

    /// Reads the word with a read-modify-write that changes nothing (rule 8). Unlike a
    /// plain load, it is ordered against every transition: if it comes after
    /// `transition_to_complete` it sees COMPLETE; if before, that transition sees
    /// everything the caller wrote before this call.
    pub(crate) fn load_ordered(&self) -> Snapshot {
        Snapshot(self.val.fetch_or(0, AcqRel))
    }

    /// Runs `f` in a CAS loop; `f` returns the action and the next state (or `None` to
    /// leave the word as it is).
    fn fetch_update_action<T>(&self, mut f: impl FnMut(Snapshot) -> (T, Option<Snapshot>)) -> T {
        let mut curr = self.load();
        loop {
            let (output, next) = f(curr);
            let Some(next) = next else {
                return output;
            };
            match self
                .val
                .compare_exchange_weak(curr.0, next.0, AcqRel, Acquire)
            {
                Ok(_) => return output,
                Err(actual) => curr = Snapshot(actual),
            }
        }
    }

    /// Like `fetch_update_action` but returns the previous snapshot on success, or the
    /// current one when `f` declines.
    fn fetch_update(
        &self,
        mut f: impl FnMut(Snapshot) -> Option<Snapshot>,
    ) -> Result<Snapshot, Snapshot> {
        let mut curr = self.load();
        loop {
            let Some(next) = f(curr) else {
                return Err(curr);
            };
            match self
                .val
                .compare_exchange_weak(curr.0, next.0, AcqRel, Acquire)
            {
                Ok(_) => return Ok(curr),
                Err(actual) => curr = Snapshot(actual),
            }
        }
    }

    /// Consumes a `Notified` reference and takes the right to poll.
    pub(crate) fn transition_to_running(&self) -> TransitionToRunning {
        self.fetch_update_action(|curr| {
            debug_assert!(curr.is_notified(), "polling a task that was not notified");
            let mut next = curr;
            if !next.is_idle() {
                next.ref_dec();
                let action = if next.ref_count() == 0 {
                    TransitionToRunning::Dealloc
                } else {
                    TransitionToRunning::Failed
                };
                return (action, Some(next));
            }
            next.0 |= RUNNING;
            next.0 &= !NOTIFIED;
            let action = if next.is_aborted() {
                TransitionToRunning::Aborted
            } else if next.is_cancelled() {
                TransitionToRunning::Cancelled
            } else {
                TransitionToRunning::Success
            };
            (action, Some(next))
        })
    }

    /// After a `Pending` poll: gives RUNNING up, unless the task was aborted or a
    /// cancellation request waits that no region can take (`has_regions` is false).
    pub(crate) fn transition_to_idle(&self, has_regions: bool) -> TransitionToIdle {
        self.fetch_update_action(|curr| {
            debug_assert!(curr.is_running());
            if curr.is_aborted() || (curr.is_cancelled() && !has_regions) {
                return (TransitionToIdle::Cancelled, None);
            }
            let mut next = curr;
            next.0 &= !RUNNING;
            let action = if next.is_notified() {
                // The poller's reference becomes the new `Notified`: the count is
                // unchanged, and NOTIFIED stays set for it.
                TransitionToIdle::OkNotified
            } else {
                next.ref_dec();
                if next.ref_count() == 0 {
                    TransitionToIdle::OkDealloc
                } else {
                    TransitionToIdle::Ok
                }
            };
            (action, Some(next))
        })
    }

    /// RUNNING -> COMPLETE. Returns the state after the transition.
    pub(crate) fn transition_to_complete(&self) -> Snapshot {
        const DELTA: usize = RUNNING | COMPLETE;
        let prev = Snapshot(self.val.fetch_xor(DELTA, AcqRel));
        debug_assert!(prev.is_running() && !prev.is_complete());
        Snapshot(prev.0 ^ DELTA)
    }

    /// Drops `count` references at the end of a task's run; returns `true` if they
    /// were the last.
    pub(crate) fn transition_to_terminal(&self, count: usize) -> bool {
        let prev = Snapshot(self.val.fetch_sub(count * REF_ONE, AcqRel));
        debug_assert!(prev.ref_count() >= count, "task reference count underflow");
        prev.ref_count() == count
    }

    /// A wake that keeps the waker's reference (`wake_by_ref`).
    pub(crate) fn transition_to_notified_by_ref(&self) -> TransitionToNotified {
        self.fetch_update_action(|curr| {
            if curr.is_complete() || curr.is_notified() {
                return (TransitionToNotified::DoNothing, None);
            }
            let mut next = curr;
            next.0 |= NOTIFIED;
            if curr.is_running() {
                return (TransitionToNotified::DoNothing, Some(next));
            }
            next.ref_inc();
            (TransitionToNotified::Submit, Some(next))
        })
    }

    /// A wake that consumes the waker's reference (`wake`).
    pub(crate) fn transition_to_notified_by_val(&self) -> TransitionToNotified {
        self.fetch_update_action(|curr| {
            let mut next = curr;
            if curr.is_running() {
                // The poller holds a reference, so ours cannot be the last.
                next.0 |= NOTIFIED;
                next.ref_dec();
                debug_assert!(next.ref_count() > 0);
                (TransitionToNotified::DoNothing, Some(next))
            } else if curr.is_complete() || curr.is_notified() {
                next.ref_dec();
                let action = if next.ref_count() == 0 {
                    TransitionToNotified::Dealloc
                } else {
                    TransitionToNotified::DoNothing
                };
                (action, Some(next))
            } else {
                // Our reference becomes the `Notified`.
                next.0 |= NOTIFIED;
                (TransitionToNotified::Submit, Some(next))
            }
        })
    }

    /// Requests cancellation (rule 7). Returns `Submit` when the caller now holds a
    /// `Notified` to queue so that the request is delivered; `DoNothing` when the task
    /// is complete, queued, or running (its poller will see the bit).
    pub(crate) fn transition_to_notified_and_cancel(&self) -> TransitionToNotified {
        self.fetch_update_action(|curr| {
            if curr.is_complete() {
                return (TransitionToNotified::DoNothing, None);
            }
            let mut next = curr;
            next.0 |= CANCELLED;
            if curr.is_running() || curr.is_notified() {
                next.0 |= NOTIFIED;
                return (TransitionToNotified::DoNothing, Some(next));
            }
            next.0 |= NOTIFIED;
            next.ref_inc();
            (TransitionToNotified::Submit, Some(next))
        })
    }

    /// Runtime shutdown: marks the task aborted and, if it is idle, takes RUNNING so
    /// the caller can drop the future. Returns `true` in that case.
    pub(crate) fn transition_to_shutdown(&self) -> bool {
        let mut was_idle = false;
        let _ = self.fetch_update(|curr| {
            was_idle = curr.is_idle();
            let mut next = curr;
            if was_idle {
                next.0 |= RUNNING;
            }
            next.0 |= ABORTED | CANCELLED;
            Some(next)
        });
        was_idle
    }

    /// A region takes the waiting cancellation request: clears C. Returns `false` if
    /// there was none (or the task is being aborted, which no region may catch).
    pub(crate) fn take_cancel_request(&self) -> bool {
        self.fetch_update(|curr| {
            if !curr.is_cancelled() || curr.is_aborted() {
                return None;
            }
            Some(Snapshot(curr.0 & !CANCELLED))
        })
        .is_ok()
    }

    /// The fast path of dropping a `Task<T>` right after spawn, while nothing else has
    /// happened: clears JOIN_INTEREST and drops the handle's reference in one CAS.
    pub(crate) fn drop_join_handle_fast(&self) -> Result<(), ()> {
        self.val
            .compare_exchange(
                INITIAL_STATE,
                (INITIAL_STATE - REF_ONE) & !JOIN_INTEREST,
                AcqRel,
                Acquire,
            )
            .map(drop)
            .map_err(drop)
    }

    /// The `Task<T>` handle is going away: clears JOIN_INTEREST (and takes the waker slot
    /// back when the task is not complete). Does not drop the handle's reference.
    pub(crate) fn transition_to_join_handle_dropped(&self) -> TransitionToJoinHandleDrop {
        self.fetch_update_action(|curr| {
            debug_assert!(curr.is_join_interested());
            let mut next = curr;
            next.0 &= !JOIN_INTEREST;
            let drop_output = curr.is_complete();
            if !curr.is_complete() {
                // Rule 5: before completion the handle may always take the slot back.
                next.0 &= !JOIN_WAKER;
            }
            let transition = TransitionToJoinHandleDrop {
                drop_output,
                drop_waker: !next.is_join_waker_set(),
            };
            (transition, Some(next))
        })
    }

    /// Publishes the waker the handle just wrote. Fails (returning the current state)
    /// if the task completed in the meantime; the handle then still owns the slot.
    pub(crate) fn set_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|curr| {
            debug_assert!(curr.is_join_interested() && !curr.is_join_waker_set());
            if curr.is_complete() {
                return None;
            }
            Some(Snapshot(curr.0 | JOIN_WAKER))
        })
    }

    /// The handle takes the waker slot back (to replace the waker). Fails if the task
    /// completed: the slot then stays with the completer.
    pub(crate) fn unset_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|curr| {
            debug_assert!(curr.is_join_interested() && curr.is_join_waker_set());
            if curr.is_complete() {
                return None;
            }
            Some(Snapshot(curr.0 & !JOIN_WAKER))
        })
    }

    /// The completer is done with the waker: clears JOIN_WAKER and returns the new state
    /// (if JOIN_INTEREST is now unset, the completer must drop the waker).
    pub(crate) fn unset_join_waker_after_complete(&self) -> Snapshot {
        let prev = Snapshot(self.val.fetch_and(!JOIN_WAKER, AcqRel));
        debug_assert!(prev.is_complete() && prev.is_join_waker_set());
        Snapshot(prev.0 & !JOIN_WAKER)
    }

    pub(crate) fn ref_inc(&self) {
        let prev = self
            .val
            .fetch_add(REF_ONE, crate::loom::sync::atomic::Ordering::Relaxed);
        // An overflow here means ~2^57 references: something leaks them in a loop.
        if prev > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// Returns `true` if this was the last reference.
    pub(crate) fn ref_dec(&self) -> bool {
        let prev = Snapshot(self.val.fetch_sub(REF_ONE, AcqRel));
        debug_assert!(prev.ref_count() >= 1, "task reference count underflow");
        prev.ref_count() == 1
    }
}

impl Snapshot {
    pub(crate) fn is_idle(self) -> bool {
        self.0 & LIFECYCLE_MASK == 0
    }

    pub(crate) fn is_running(self) -> bool {
        self.0 & RUNNING == RUNNING
    }

    pub(crate) fn is_complete(self) -> bool {
        self.0 & COMPLETE == COMPLETE
    }

    pub(crate) fn is_notified(self) -> bool {
        self.0 & NOTIFIED == NOTIFIED
    }

    pub(crate) fn is_join_interested(self) -> bool {
        self.0 & JOIN_INTEREST == JOIN_INTEREST
    }

    pub(crate) fn is_join_waker_set(self) -> bool {
        self.0 & JOIN_WAKER == JOIN_WAKER
    }

    /// A cancellation request waits to be delivered.
    pub(crate) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED == CANCELLED
    }

    pub(crate) fn is_aborted(self) -> bool {
        self.0 & ABORTED == ABORTED
    }

    pub(crate) fn ref_count(self) -> usize {
        (self.0 & REF_COUNT_MASK) >> REF_COUNT_SHIFT
    }

    fn ref_inc(&mut self) {
        self.0 += REF_ONE;
    }

    fn ref_dec(&mut self) {
        debug_assert!(self.ref_count() > 0);
        self.0 -= REF_ONE;
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("notified", &self.is_notified())
            .field("join_interested", &self.is_join_interested())
            .field("join_waker", &self.is_join_waker_set())
            .field("cancelled", &self.is_cancelled())
            .field("aborted", &self.is_aborted())
            .field("refs", &self.ref_count())
            .finish()
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.load().fmt(f)
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn masks_do_not_overlap() {
        assert_eq!(STATE_MASK & REF_COUNT_MASK, 0);
        assert_eq!(STATE_MASK | REF_COUNT_MASK, usize::MAX);
        assert_eq!(REF_ONE, 1 << 7);
    }

    #[test]
    fn wake_while_running_requeues_after_poll() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(
            s.transition_to_notified_by_ref(),
            TransitionToNotified::DoNothing
        );
        assert_eq!(s.transition_to_idle(false), TransitionToIdle::OkNotified);
        assert!(s.load().is_notified());
        assert_eq!(s.load().ref_count(), 3);
    }

    #[test]
    fn second_wake_while_queued_is_a_no_op() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(s.transition_to_idle(false), TransitionToIdle::Ok);
        assert_eq!(
            s.transition_to_notified_by_ref(),
            TransitionToNotified::Submit
        );
        assert_eq!(
            s.transition_to_notified_by_ref(),
            TransitionToNotified::DoNothing
        );
        assert_eq!(s.load().ref_count(), 3);
    }

    #[test]
    fn cancel_while_idle_submits_and_poll_sees_it() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(s.transition_to_idle(false), TransitionToIdle::Ok);
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::Submit
        );
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::DoNothing
        );
        assert_eq!(s.transition_to_running(), TransitionToRunning::Cancelled);
    }

    #[test]
    fn a_request_with_a_live_region_keeps_the_task_idle_and_waiting() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::DoNothing
        );
        // A region is alive: the poller goes idle (re-queued, since the cancel woke it).
        assert_eq!(s.transition_to_idle(true), TransitionToIdle::OkNotified);
        assert!(s.load().is_cancelled());
        assert_eq!(s.transition_to_running(), TransitionToRunning::Cancelled);
        // The region takes it; it is gone for good.
        assert!(s.take_cancel_request());
        assert!(!s.take_cancel_request());
        assert_eq!(s.transition_to_idle(true), TransitionToIdle::Ok);
    }

    #[test]
    fn every_cancel_wakes_an_idle_task_again() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(s.transition_to_idle(true), TransitionToIdle::Ok);
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::Submit
        );
        assert_eq!(s.transition_to_running(), TransitionToRunning::Cancelled);
        assert_eq!(s.transition_to_idle(true), TransitionToIdle::Ok);
        // Still undelivered, still idle: a second request wakes it again.
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::Submit
        );
    }

    #[test]
    fn shutdown_aborts_even_with_regions_and_no_region_can_take_it() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert!(!s.transition_to_shutdown(), "running: the poller drops it");
        assert!(!s.take_cancel_request());
        assert_eq!(s.transition_to_idle(true), TransitionToIdle::Cancelled);
    }

    #[test]
    fn cancel_during_poll_is_seen_at_idle() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert_eq!(
            s.transition_to_notified_and_cancel(),
            TransitionToNotified::DoNothing
        );
        assert_eq!(s.transition_to_idle(false), TransitionToIdle::Cancelled);
        assert!(s.load().is_running());
    }

    #[test]
    fn join_handle_fast_drop_only_from_initial_state() {
        let s = State::new();
        assert!(s.drop_join_handle_fast().is_ok());
        assert!(!s.load().is_join_interested());
        assert_eq!(s.load().ref_count(), 2);
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        assert!(s.drop_join_handle_fast().is_err());
    }

    #[test]
    fn join_waker_cannot_be_published_after_completion() {
        let s = State::new();
        assert_eq!(s.transition_to_running(), TransitionToRunning::Success);
        let done = s.transition_to_complete();
        assert!(done.is_complete() && !done.is_running());
        assert!(s.set_join_waker().is_err());
    }
}
