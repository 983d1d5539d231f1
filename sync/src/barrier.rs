//! `Barrier`: `n` parties wait until all `n` have arrived.
//!
//! asyncio's barrier has four phases, and so has this one: a round *fills* until
//! its `n`-th party arrives, then *drains* until every party of the round has
//! resumed; `reset` *resets* it (failing the parties inside) and `abort` *breaks* it.
//!
//! # Rules
//!
//! 1. All state (`phase`, `count`, the waiter list) is under one mutex.
//! 2. `count` is the number of parties *inside*: queued in the filling round, or
//!    handed their outcome (released, or failed by `reset`/`abort`) and not yet
//!    resumed. Each party inside leaves exactly once: when it resumes (its next
//!    poll) or when it is dropped, whichever comes first.
//! 3. While filling, an arrival joins the round; the one that completes the count is
//!    the leader: the phase turns to draining, the leader leaves at once (index
//!    `n - 1`) and hands every party queued before it (a
//!    [`mark`](WaitList::mark)) its index, in arrival order (`0..n-1`).
//! 4. While draining or resetting, arrivals queue *blocked*, outside the round.
//!    When the last party inside leaves, the phase turns to filling and the blocked
//!    arrivals are woken to try again (asyncio's `_block`).
//! 5. A released party that resumes while the barrier drains gets its index; one
//!    that resumes after a `reset` or `abort` got in first gets `BrokenBarrier`
//!    (asyncio's `test_reset_barrier_when_tasks_half_draining`).
//! 6. `reset` fails the queued parties and, if anyone is inside, resets until the
//!    last of them has left (then fills again); `abort` fails the queued parties and
//!    every later arrival until a `reset`. A party dropped while queued in a filling
//!    round leaves it: the barrier is not broken, and the next arrival takes its
//!    place (asyncio's behaviour).
//!
//! ```text
//!  wait(): broken? ──yes──> Err(BrokenBarrier)
//!            │ no                     draining/resetting? ──yes──> [blocked] ──drained──> retry
//!            v
//!   count + 1 == n ? ──yes──> leader: draining; hand the queued parties their index ──> Ok(n-1)
//!            │ no
//!            v
//!        [queued] ──released──> resume: still draining? Ok(index) : Err
//!            │ drop        └──abort/reset──> resume: Err
//!            v
//!        count -= 1 (not broken); the last one out of a drain or reset: filling again
//! ```

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::{Mutex, MutexGuard};
use crate::wait_list::{Polled, WaitList, Waiter};
use crate::wake_queued::wake_queued;

/// asyncio's `Barrier`: [`wait`](Self::wait) returns once `parties` tasks are
/// waiting, then the barrier is ready for the next round.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Barrier;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let barrier = Arc::new(Barrier::new(3));
/// let tasks: Vec<_> = (0..3)
///     .map(|_| {
///         let barrier = barrier.clone();
///         tokio::spawn(async move { barrier.wait().await.unwrap().is_leader() })
///     })
///     .collect();
/// let mut leaders = 0;
/// for t in tasks {
///     leaders += t.await.unwrap() as usize;
/// }
/// assert_eq!(leaders, 1);
/// # });
/// ```
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
}

struct State {
    phase: Phase,
    /// Parties inside (rule 2).
    count: usize,
    waiters: WaitList<Outcome>,
}

/// asyncio's `_BarrierState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Filling,
    Draining,
    Resetting,
    Broken,
}

/// What a queued party is handed.
enum Outcome {
    /// Queued in the filling round: inside (rule 2).
    Waiting,
    /// Queued until the drain or reset ends: outside (rule 4).
    Blocked,
    /// The round completed: inside until it resumes (rule 5).
    Released(usize),
    /// Failed by `abort` or `reset`: inside until it resumes (rule 6).
    Broken,
    /// The drain or reset ended (or the barrier broke): arrive again (rule 4).
    Retry,
}

impl Outcome {
    /// Whether a party holding this is inside the barrier (rule 2).
    fn is_inside(&self) -> bool {
        matches!(
            self,
            Outcome::Waiting | Outcome::Released(_) | Outcome::Broken
        )
    }
}

/// How a party passed the barrier.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let barrier = weft_sync::Barrier::new(1);
/// let result = barrier.wait().await.unwrap();
/// assert_eq!(result.index(), 0);
/// assert!(result.is_leader());
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult {
    index: usize,
    leader: bool,
}

impl BarrierWaitResult {
    /// This party's place in the round's arrival order, `0..parties`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// assert_eq!(weft_sync::Barrier::new(1).wait().await.unwrap().index(), 0);
    /// # });
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }

    /// Whether this party arrived last and released the others (exactly one
    /// party per round is the leader).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// assert!(weft_sync::Barrier::new(1).wait().await.unwrap().is_leader());
    /// # });
    /// ```
    pub fn is_leader(&self) -> bool {
        self.leader
    }
}

/// The barrier was [aborted](Barrier::abort), or [reset](Barrier::reset) while
/// this party waited (asyncio's `BrokenBarrierError`).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let barrier = weft_sync::Barrier::new(2);
/// barrier.abort();
/// let err = barrier.wait().await.unwrap_err();
/// assert_eq!(err.to_string(), "the barrier is broken (aborted, or reset while waiting)");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenBarrier(());

impl fmt::Display for BrokenBarrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the barrier is broken (aborted, or reset while waiting)")
    }
}

impl std::error::Error for BrokenBarrier {}

impl Barrier {
    /// A barrier for `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 (asyncio raises `ValueError`).
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(4).parties(), 4);
    /// ```
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a Barrier needs at least one party");
        Barrier {
            parties,
            state: Mutex::new(State {
                phase: Phase::Filling,
                count: 0,
                waiters: WaitList::new(),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting, then all return together. A task
    /// that arrives while the previous round is still draining (some of its parties
    /// have not resumed yet) waits for the drain to end first (rule 4).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a party dropped while waiting leaves the round (the count
    /// goes back down) and the barrier stays unbroken. A party dropped after the
    /// round completed leaves the drain as if it had resumed; the others are
    /// unaffected.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let barrier = weft_sync::Barrier::new(2);
    /// let (a, b) = tokio::join!(barrier.wait(), barrier.wait());
    /// assert_ne!(a.unwrap().index(), b.unwrap().index());
    /// # });
    /// ```
    #[track_caller]
    pub fn wait(&self) -> impl Future<Output = Result<BarrierWaitResult, BrokenBarrier>> + '_ {
        recorded(
            &WaitOn("Barrier::wait"),
            Location::caller(),
            self.wait_unrecorded(),
        )
    }

    /// [`wait`](Self::wait) without its wait record.
    async fn wait_unrecorded(&self) -> Result<BarrierWaitResult, BrokenBarrier> {
        BarrierWait {
            barrier: self,
            waiter: Waiter::new(Outcome::Waiting),
        }
        .await
    }

    /// Breaks the barrier: queued and later `wait`s fail with [`BrokenBarrier`]
    /// until [`reset`](Self::reset), and so do the parties of a completed round
    /// that have not resumed yet.
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(2);
    /// barrier.abort();
    /// assert!(barrier.is_broken());
    /// ```
    pub fn abort(&self) {
        let mut state = self.state.lock();
        state.phase = Phase::Broken;
        self.fail_queued(state);
    }

    /// Un-breaks the barrier and starts it over; the tasks waiting now fail with
    /// [`BrokenBarrier`], and so do the parties of a completed round that have not
    /// resumed yet. New arrivals wait until those have all left (rule 6).
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(2);
    /// barrier.abort();
    /// barrier.reset();
    /// assert!(!barrier.is_broken());
    /// ```
    pub fn reset(&self) {
        let mut state = self.state.lock();
        state.phase = if state.count > 0 {
            Phase::Resetting
        } else {
            Phase::Filling
        };
        self.fail_queued(state);
    }

    /// Rule 6: the parties queued in the round fail; the blocked ones arrive again.
    fn fail_queued(&self, state: MutexGuard<'_, State>) {
        let mark = state.waiters.mark();
        let hand = |outcome: &mut Outcome| {
            *outcome = match outcome {
                Outcome::Waiting => Outcome::Broken,
                _ => Outcome::Retry,
            }
        };
        wake_queued(
            &self.state,
            state,
            |s| &mut s.waiters,
            mark,
            usize::MAX,
            hand,
        );
    }

    /// Rule 2: a party inside leaves; the last one out of a drain or a reset starts
    /// the next round and wakes the blocked arrivals (rule 4).
    fn leave(&self, mut state: MutexGuard<'_, State>) {
        state.count -= 1;
        if state.count > 0 || !matches!(state.phase, Phase::Draining | Phase::Resetting) {
            return;
        }
        state.phase = Phase::Filling;
        let mark = state.waiters.mark();
        wake_queued(
            &self.state,
            state,
            |s| &mut s.waiters,
            mark,
            usize::MAX,
            |outcome| *outcome = Outcome::Retry,
        );
    }

    /// Whether the barrier is broken.
    ///
    /// ```
    /// assert!(!weft_sync::Barrier::new(2).is_broken());
    /// ```
    pub fn is_broken(&self) -> bool {
        self.state.lock().phase == Phase::Broken
    }

    /// The number of parties a round needs.
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(3).parties(), 3);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The number of parties waiting in the round that is filling; 0 while a round
    /// drains or the barrier resets or is broken (asyncio's `n_waiting`).
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(3).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        let state = self.state.lock();
        match state.phase {
            Phase::Filling => state.count,
            _ => 0,
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (phase, count) = {
            let state = self.state.lock();
            (state.phase, state.count)
        };
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("phase", &phase)
            .field("inside", &count)
            .finish()
    }
}

/// The future of [`Barrier::wait`].
struct BarrierWait<'a> {
    barrier: &'a Barrier,
    waiter: Waiter<Outcome>,
}

impl Future for BarrierWait<'_> {
    type Output = Result<BarrierWaitResult, BrokenBarrier>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `waiter` is structurally pinned; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let mut waiter = unsafe { Pin::new_unchecked(&mut this.waiter) };
        let barrier = this.barrier;
        let mut state = barrier.state.lock();
        if waiter.is_queued() {
            // SAFETY: our waiter, queued on this barrier's (locked) list.
            let outcome = match unsafe { waiter.as_mut().poll(&mut state.waiters, cx.waker()) } {
                Polled::Waiting(stale) => {
                    drop(state);
                    drop(stale);
                    return Poll::Pending;
                }
                Polled::Handed(outcome) => std::mem::replace(outcome, Outcome::Retry),
            };
            match outcome {
                // Rule 5.
                Outcome::Released(index) => {
                    let passed = state.phase == Phase::Draining;
                    barrier.leave(state);
                    return Poll::Ready(if passed {
                        Ok(BarrierWaitResult {
                            index,
                            leader: false,
                        })
                    } else {
                        Err(BrokenBarrier(()))
                    });
                }
                Outcome::Broken => {
                    barrier.leave(state);
                    return Poll::Ready(Err(BrokenBarrier(())));
                }
                Outcome::Retry => {}
                Outcome::Waiting | Outcome::Blocked => {
                    unreachable!("a party is handed its outcome when it is popped")
                }
            }
        }
        let queued = match state.phase {
            Phase::Broken => return Poll::Ready(Err(BrokenBarrier(()))),
            // Rule 4.
            Phase::Draining | Phase::Resetting => Outcome::Blocked,
            Phase::Filling if state.count + 1 < barrier.parties => {
                state.count += 1;
                Outcome::Waiting
            }
            Phase::Filling => return Poll::Ready(Ok(barrier.trip(state))),
        };
        // SAFETY: the waiter is used with this barrier's list only (locked), and
        // is not queued (never was, or it was handed `Retry`).
        unsafe { waiter.push(&mut state.waiters, queued, Some(cx.waker().clone())) };
        Poll::Pending
    }
}

impl Barrier {
    /// Rule 3: the caller completes the round and leaves at once.
    fn trip(&self, mut state: MutexGuard<'_, State>) -> BarrierWaitResult {
        let index = state.count;
        if index == 0 {
            // A barrier of one: nobody to drain.
            return BarrierWaitResult {
                index,
                leader: true,
            };
        }
        state.phase = Phase::Draining;
        let mark = state.waiters.mark();
        let mut next = 0;
        let hand = |outcome: &mut Outcome| {
            *outcome = Outcome::Released(next);
            next += 1;
        };
        wake_queued(
            &self.state,
            state,
            |s| &mut s.waiters,
            mark,
            usize::MAX,
            hand,
        );
        BarrierWaitResult {
            index,
            leader: true,
        }
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        if !self.waiter.is_queued() {
            return;
        }
        let mut state = self.barrier.state.lock();
        // SAFETY: a queued waiter is pinned (queued only from `poll`) and alive;
        // the list is the one it uses, locked.
        let (_, outcome) =
            unsafe { Pin::new_unchecked(&mut self.waiter).cancel(&mut state.waiters) };
        if outcome.is_inside() {
            // Rule 6 (queued) or rule 2 (handed, not resumed): it leaves.
            self.barrier.leave(state);
        }
    }
}
