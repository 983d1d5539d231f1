//! Who waits on a registration, per direction.
//!
//! Two kinds of waiter, because Rust gives two ways to wait on a socket:
//!
//! - **The stream side**: `poll_read`/`poll_write`/`poll_accept` callers
//!   ([`Waiter::Stream`]). They hold `&mut` (or a half) of the socket, so at most one
//!   task polls each direction at a time: one slot per direction holds its waker, and
//!   the last poller wins.
//! - **Operations**: the futures of `&self` methods (`accept`, `recv_from`, `send_to`,
//!   `peek`, `connect`, ...) that any number of tasks may await at once
//!   ([`Waiter::Op`]). Each gets its own slot in a slab on its first `Pending` and
//!   keeps it until the future is dropped, which releases it ([`Waiters::release`]).
//!
//! # Rules
//!
//! 1. All fields are touched only under the registration's waiter lock.
//! 2. Waking *takes* a waker out of its slot; an operation's slot itself stays
//!    reserved until its future releases it, so a woken future that polls again
//!    reuses its key.
//! 3. No waker is woken or dropped under the lock: [`Waiters::store`] and
//!    [`Waiters::release`] hand back the waker they displace, and
//!    [`Waiters::take_ready`] fills a [`WakeBatch`] the caller wakes after unlocking.

use super::readiness::{Direction, Ready};
use super::slab::{Key, Slab};
use std::task::Waker;
use weft_core::WakeBatch;

/// The waiter a readiness poll registers as.
#[derive(Debug)]
pub(crate) enum Waiter {
    /// The direction's single stream-side slot.
    Stream,
    /// An operation future; `Some(key)` once it holds a slot.
    Op(Option<Key>),
}

#[derive(Debug)]
struct OpWaiter {
    direction: Direction,
    waker: Option<Waker>,
}

/// Where [`Waiters::take_ready`] resumes after its batch filled up.
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    streams_done: bool,
    next_op: usize,
}

/// The waiters of one registration.
#[derive(Debug)]
pub(crate) struct Waiters {
    /// The stream-side slot of each direction, by [`Direction::index`].
    stream: [Option<Waker>; 2],
    ops: Slab<OpWaiter>,
}

impl Waiters {
    /// No one waiting.
    pub(crate) const fn new() -> Waiters {
        Waiters {
            stream: [None, None],
            ops: Slab::new(usize::MAX, usize::MAX),
        }
    }

    /// Records `waker` for `waiter` on `direction`; returns the waker it displaced, to
    /// be dropped after unlocking (rule 3).
    pub(crate) fn store(
        &mut self,
        direction: Direction,
        waiter: &mut Waiter,
        waker: &Waker,
    ) -> Option<Waker> {
        let slot = match waiter {
            Waiter::Stream => &mut self.stream[direction.index()],
            Waiter::Op(key) => {
                let held = (*key).filter(|k| self.ops.get(*k).is_some());
                let Some(held) = held else {
                    let op = OpWaiter {
                        direction,
                        waker: Some(waker.clone()),
                    };
                    let new = self.ops.insert(op);
                    *key = Some(new.unwrap_or_else(|_| unreachable!("the op slab has no limit")));
                    return None;
                };
                &mut self.ops.get_mut(held).expect("checked above").waker
            }
        };
        match slot {
            Some(current) if current.will_wake(waker) => None,
            _ => slot.replace(waker.clone()),
        }
    }

    /// Forgets an operation's slot (its future is dropped); returns the waker it held,
    /// to be dropped after unlocking (rule 3). Idempotent.
    pub(crate) fn release(&mut self, key: &mut Option<Key>) -> Option<Waker> {
        key.take()
            .and_then(|key| self.ops.remove(key))
            .and_then(|op| op.waker)
    }

    /// Moves the wakers of every waiter on a direction in `ready` into `batch`, from
    /// `cursor` on, until the batch is full. Returns `true` when every waiter has been
    /// visited (rule 2).
    pub(crate) fn take_ready(
        &mut self,
        ready: Ready,
        cursor: &mut Cursor,
        batch: &mut WakeBatch,
    ) -> bool {
        if !cursor.streams_done {
            for direction in [Direction::Read, Direction::Write] {
                if !ready.has(direction) {
                    continue;
                }
                let slot = &mut self.stream[direction.index()];
                if slot.is_some() {
                    if !batch.has_room() {
                        return false;
                    }
                    batch.push(slot.take().expect("checked above"));
                }
            }
            cursor.streams_done = true;
        }
        while let Some((index, op)) = self.ops.next_occupied_mut(cursor.next_op) {
            if ready.has(op.direction) && op.waker.is_some() {
                if !batch.has_room() {
                    cursor.next_op = index;
                    return false;
                }
                batch.push(op.waker.take().expect("checked above"));
            }
            cursor.next_op = index + 1;
        }
        true
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    #[derive(Default)]
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Wakes every waiter on `ready`, a batch at a time, as the entry does.
    fn wake_all(waiters: &mut Waiters, ready: Ready) {
        let mut cursor = Cursor::default();
        let mut batch = WakeBatch::new();
        while !waiters.take_ready(ready, &mut cursor, &mut batch) {
            batch.wake_all();
        }
        batch.wake_all();
    }

    #[test]
    fn more_op_waiters_than_a_batch_holds_are_all_woken_once() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut waiters = Waiters::new();
        let mut ops: Vec<Waiter> = (0..70).map(|_| Waiter::Op(None)).collect();
        for op in &mut ops {
            assert!(waiters.store(Direction::Read, op, &waker).is_none());
        }
        wake_all(&mut waiters, Ready::READABLE);
        assert_eq!(count.0.load(Ordering::SeqCst), 70);
        wake_all(&mut waiters, Ready::READABLE);
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            70,
            "a waker is taken when woken"
        );
    }

    #[test]
    fn a_wake_reaches_only_its_direction() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut waiters = Waiters::new();
        let _ = waiters.store(Direction::Write, &mut Waiter::Stream, &waker);
        let _ = waiters.store(Direction::Write, &mut Waiter::Op(None), &waker);
        wake_all(&mut waiters, Ready::READABLE);
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        wake_all(&mut waiters, Ready::WRITABLE);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn an_op_keeps_its_slot_across_wakes_until_released() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut waiters = Waiters::new();
        let mut op = Waiter::Op(None);
        let _ = waiters.store(Direction::Read, &mut op, &waker);
        let Waiter::Op(Some(first)) = op else {
            panic!("the op holds a slot after storing");
        };
        wake_all(&mut waiters, Ready::READABLE);
        let _ = waiters.store(Direction::Read, &mut op, &waker);
        assert!(matches!(op, Waiter::Op(Some(key)) if key == first));
        let Waiter::Op(key) = &mut op else {
            unreachable!()
        };
        assert!(waiters.release(key).is_some());
        assert!(key.is_none());
        assert!(waiters.release(key).is_none(), "release is idempotent");
    }
}
