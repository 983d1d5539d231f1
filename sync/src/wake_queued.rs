//! `wake_queued`: pops the waiters queued before a mark and wakes them, batch by batch,
//! never under the lock (the one [`WakeBatch`], `weft_core`'s, rule 1).

use crate::loom::{Mutex, MutexGuard};
use crate::wait_list::WaitList;
use weft_core::WakeBatch;

/// Pops up to `max` waiters that were queued before `mark` (see
/// [`WaitList::mark`]) from the list `list_of` finds in the locked state, lets
/// `hand` write what each is handed, and wakes them: in batches, with the lock
/// released between batches and at the end. Returns how many were popped.
///
/// Waiters queued after `mark`, including during the gaps, are left alone.
pub(crate) fn wake_queued<'a, L, S>(
    mutex: &'a Mutex<L>,
    guard: MutexGuard<'a, L>,
    list_of: impl Fn(&mut L) -> &mut WaitList<S>,
    mark: u64,
    max: usize,
    mut hand: impl FnMut(&mut S),
) -> usize {
    let mut batch = WakeBatch::new();
    // Declared after `batch`, so dropped before it even when unwinding: wakers
    // are never woken under the lock.
    let mut guard = guard;
    let mut popped = 0;
    loop {
        let list = list_of(&mut guard);
        while popped < max && batch.has_room() {
            let Some(mut waiter) = list.pop_front_before(mark) else {
                drop(guard);
                batch.wake_all();
                return popped;
            };
            hand(waiter.state());
            batch.push(waiter.take_waker());
            popped += 1;
        }
        drop(guard);
        batch.wake_all();
        if popped == max {
            return popped;
        }
        guard = mutex.lock();
    }
}
