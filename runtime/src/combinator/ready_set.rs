//! `ReadySet`: n futures polled by one owner, each with a waker of its own that says
//! "index i woke", so the owner re-polls only the futures that woke.
//!
//! Every index gets a waker that records it in a shared list and wakes the owner; the
//! owner takes indices from the list and polls just those. Waiting on n futures costs
//! O(n) polls in all plus one per wake, not O(n) per wake. `join_all` and the
//! finish-order tracking behind `wait`, `as_completed` and `try_gather` share it.
//!
//! # Rules
//!
//! 1. The list, its `queued` flags and the owner's waker share one lock. An index is
//!    pushed by its waker under that lock, and the pusher takes the owner's waker to
//!    wake it after unlocking; an owner that finds the list empty registers its waker
//!    under the same lock. So a push after the owner looked finds the waker, and no
//!    wake is lost.
//! 2. Every index starts in the list, so each future is polled (and its waker handed
//!    out) at least once.
//! 3. An index is in the list at most once (`queued`): a future woken many times
//!    between two polls is polled once, and the list never holds more than n entries.
//! 4. The owner may find an index for a future it has finished or given away; it
//!    skips it. Wakers outlive the owner harmlessly: they hold the list, not the owner.

use crate::loom::{Arc, Mutex};
use std::collections::VecDeque;
use std::fmt;
use std::task::{Context, Wake, Waker};

pub(crate) struct ReadySet {
    shared: Arc<Shared>,
    /// One waker per index, made once (rule 2 hands each out on the first poll).
    wakers: Box<[Waker]>,
}

struct Shared {
    state: Mutex<State>,
}

struct State {
    /// Indices woken since the owner last took them, in the order they woke.
    indices: VecDeque<usize>,
    /// `queued[i]`: `i` is in `indices` (rule 3).
    queued: Vec<bool>,
    /// The owner's waker, registered when it found nothing to do (rule 1).
    waker: Option<Waker>,
}

/// One index's waker: queues its index and wakes the owner (rule 1).
struct IndexWaker {
    shared: Arc<Shared>,
    index: usize,
}

impl Wake for IndexWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let owner = {
            let mut state = self.shared.state.lock();
            if state.queued[self.index] {
                return;
            }
            state.queued[self.index] = true;
            state.indices.push_back(self.index);
            state.waker.take()
        };
        if let Some(owner) = owner {
            owner.wake();
        }
    }
}

impl ReadySet {
    /// A set of `n` indices, all queued (rule 2).
    pub(crate) fn new(n: usize) -> ReadySet {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                indices: (0..n).collect(),
                queued: vec![true; n],
                waker: None,
            }),
        });
        let wakers = (0..n)
            .map(|index| {
                Waker::from(Arc::new(IndexWaker {
                    shared: shared.clone(),
                    index,
                }))
            })
            .collect();
        ReadySet { shared, wakers }
    }

    /// How many indices there are.
    pub(crate) fn len(&self) -> usize {
        self.wakers.len()
    }

    /// The waker to poll future `index` with.
    pub(crate) fn waker(&self, index: usize) -> &Waker {
        &self.wakers[index]
    }

    /// The next woken index; `None` after registering `cx`'s waker when none is
    /// queued (rule 1).
    pub(crate) fn pop(&self, cx: &Context<'_>) -> Option<usize> {
        let mut state = self.shared.state.lock();
        match state.indices.pop_front() {
            Some(index) => {
                state.queued[index] = false;
                Some(index)
            }
            None => {
                register(&mut state.waker, cx);
                None
            }
        }
    }

    /// Moves every queued index into `batch` (emptied first), in the order they were
    /// queued, and registers `cx`'s waker: an index queued from now on, even by the
    /// polls of this batch, wakes the owner again instead of growing the batch, so one
    /// poll of the owner polls each future at most once.
    pub(crate) fn take_batch(&self, cx: &Context<'_>, batch: &mut Vec<usize>) {
        batch.clear();
        let mut state = self.shared.state.lock();
        register(&mut state.waker, cx);
        let State {
            indices, queued, ..
        } = &mut *state;
        for &index in indices.iter() {
            queued[index] = false;
        }
        batch.extend(indices.drain(..));
    }
}

fn register(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(waker) if waker.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

impl fmt::Debug for ReadySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadySet")
            .field("len", &self.len())
            .finish()
    }
}
