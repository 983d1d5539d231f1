//! loom: a `Lock` waiter polled once, then dropped, races the unlock that may
//! hand it the lock; a live waiter must still get the lock, and nothing leaks.
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use sync_probe::queued;
use weft_sync::Lock;

#[test]
fn dropped_waiter_racing_unlock_hands_the_lock_to_the_live_waiter() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(0));
        let held = lock.clone().try_lock_owned().unwrap();
        let doomed = queued({
            let lock = lock.clone();
            async move { *lock.lock().await += 10 }
        });
        let live = thread::spawn({
            let lock = lock.clone();
            move || block_on(async move { *lock.lock().await += 1 })
        });
        let canceller = thread::spawn(move || drop(doomed));
        drop(held);
        canceller.join().unwrap();
        live.join().unwrap();
        // The live waiter ran exactly once, the dropped one never; unlocked.
        assert_eq!(*lock.try_lock().expect("the lock leaked"), 1);
    });
}

#[test]
fn waiter_dropped_after_being_handed_the_lock_unlocks() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(()));
        let held = lock.clone().try_lock_owned().unwrap();
        let doomed = queued({
            let lock = lock.clone();
            async move { drop(lock.lock().await) }
        });
        let unlocker = thread::spawn(move || drop(held));
        drop(doomed);
        unlocker.join().unwrap();
        assert!(!lock.is_locked(), "the lock leaked");
    });
}
