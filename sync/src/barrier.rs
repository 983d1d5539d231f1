//! `Barrier`: `n` parties wait until all `n` have arrived.
//!
//! # Rules
//!
//! 1. All state (`arrived`, `broken`, the waiter list) is under one mutex.
//! 2. The party that completes the count is the leader: under the lock it resets
//!    `arrived` to 0, then pops every party queued before it (a
//!    [`mark`](WaitList::mark)) and hands each its index, in arrival order
//!    (`0..n-1`); the leader's index is `n - 1`. Parties arriving meanwhile belong
//!    to the next round.
//! 3. A party dropped while queued in the current round decrements `arrived`
//!    and leaves: the barrier is not broken, and the next arrival takes its
//!    place (asyncio's behaviour). A party dropped after it was released has
//!    nothing to give back — nor has one still linked from a round that has
//!    already ended (it is being popped in a later batch): each party records
//!    its `round`, and every trip, `abort` and `reset` starts a new one.
//! 4. `abort` breaks the barrier (queued and later waits fail) until `reset`;
//!    `reset` fails the queued waits and empties the barrier, unbroken.
//!
//! ```text
//!  wait(): broken? ──yes──> Err(BrokenBarrier)
//!            │ no
//!            v  arrived + 1 == n ? ──yes──> leader: release queued parties ──> Ok(index n-1)
//!            │ no
//!            v
//!         [queued] ──released──> Ok(index)      [queued] ──abort/reset──> Err
//!            │ drop
//!            v
//!         arrived -= 1 (not broken)
//! ```

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::Mutex;
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
    /// Parties queued in this round.
    arrived: usize,
    /// Which round is filling; bumped by every trip, `abort` and `reset`.
    round: u64,
    broken: bool,
    waiters: WaitList<Outcome>,
}

/// What a queued party is handed.
enum Outcome {
    /// Queued in this round.
    Waiting(u64),
    Released(usize),
    Broken,
}

impl Outcome {
    /// What `wait` returns for a party that was handed this.
    fn result(&self) -> Result<BarrierWaitResult, BrokenBarrier> {
        match *self {
            Outcome::Released(index) => Ok(BarrierWaitResult {
                index,
                leader: false,
            }),
            Outcome::Waiting(_) | Outcome::Broken => Err(BrokenBarrier(())),
        }
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
                arrived: 0,
                round: 0,
                broken: false,
                waiters: WaitList::new(),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting, then all return together.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a party dropped while waiting leaves the round (the count
    /// goes back down) and the barrier stays unbroken. A party dropped after the
    /// round completed has passed; the others are unaffected.
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
            waiter: Waiter::new(Outcome::Waiting(0)),
        }
        .await
    }

    /// Breaks the barrier: queued and later `wait`s fail with [`BrokenBarrier`]
    /// until [`reset`](Self::reset).
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(2);
    /// barrier.abort();
    /// assert!(barrier.is_broken());
    /// ```
    pub fn abort(&self) {
        self.fail_queued(true);
    }

    /// Empties the barrier and un-breaks it; the tasks waiting now fail with
    /// [`BrokenBarrier`].
    ///
    /// ```
    /// let barrier = weft_sync::Barrier::new(2);
    /// barrier.abort();
    /// barrier.reset();
    /// assert!(!barrier.is_broken());
    /// ```
    pub fn reset(&self) {
        self.fail_queued(false);
    }

    fn fail_queued(&self, broken: bool) {
        let mut state = self.state.lock();
        state.broken = broken;
        state.arrived = 0;
        state.round += 1;
        let mark = state.waiters.mark();
        let hand = |outcome: &mut Outcome| *outcome = Outcome::Broken;
        wake_queued(
            &self.state,
            state,
            |s| &mut s.waiters,
            mark,
            usize::MAX,
            hand,
        );
    }

    /// Whether the barrier is broken.
    ///
    /// ```
    /// assert!(!weft_sync::Barrier::new(2).is_broken());
    /// ```
    pub fn is_broken(&self) -> bool {
        self.state.lock().broken
    }

    /// The number of parties a round needs.
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(3).parties(), 3);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The number of parties waiting in the current round.
    ///
    /// ```
    /// assert_eq!(weft_sync::Barrier::new(3).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        self.state.lock().arrived
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("n_waiting", &self.n_waiting())
            .field("broken", &self.is_broken())
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
        if let Some(outcome) = waiter.as_mut().take_handed() {
            return Poll::Ready(outcome.result());
        }
        let barrier = this.barrier;
        let mut state = barrier.state.lock();
        if waiter.is_queued() {
            // SAFETY: our waiter, queued on this barrier's (locked) list.
            return match unsafe { waiter.poll(&mut state.waiters, cx.waker()) } {
                Polled::Handed(outcome) => Poll::Ready(outcome.result()),
                Polled::Waiting(stale) => {
                    drop(state);
                    drop(stale);
                    Poll::Pending
                }
            };
        }
        if state.broken {
            return Poll::Ready(Err(BrokenBarrier(())));
        }
        if state.arrived + 1 < barrier.parties {
            state.arrived += 1;
            let queued = Outcome::Waiting(state.round);
            // SAFETY: the waiter is used with this barrier's list only (locked),
            // and is not queued.
            unsafe { waiter.push(&mut state.waiters, queued, Some(cx.waker().clone())) };
            return Poll::Pending;
        }
        // Rule 2: we complete the round.
        let index = state.arrived;
        state.arrived = 0;
        state.round += 1;
        let mark = state.waiters.mark();
        let mut next = 0;
        let hand = |outcome: &mut Outcome| {
            *outcome = Outcome::Released(next);
            next += 1;
        };
        wake_queued(
            &barrier.state,
            state,
            |s| &mut s.waiters,
            mark,
            usize::MAX,
            hand,
        );
        Poll::Ready(Ok(BarrierWaitResult {
            index,
            leader: true,
        }))
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
        let (was_linked, outcome) =
            unsafe { Pin::new_unchecked(&mut self.waiter).cancel(&mut state.waiters) };
        if let (true, &mut Outcome::Waiting(round)) = (was_linked, outcome) {
            if round == state.round {
                // Rule 3: leave the round; the barrier stays whole.
                state.arrived -= 1;
            }
        }
    }
}
