//! `Lock<T>`: FIFO hand-off, drop-safety of waiters, and use under tokio.

mod probe;

use std::sync::Arc;

use probe::{parked, task, Probe, Rng, MIRI};
use weft_sync::Lock;

#[test]
fn try_lock_fails_while_held_and_succeeds_after_unlock() {
    let lock = Lock::new(1);
    let guard = lock.try_lock().unwrap();
    assert!(lock.is_locked());
    assert!(lock.try_lock().is_err());
    drop(guard);
    assert!(!lock.is_locked());
    assert_eq!(*lock.try_lock().unwrap(), 1);
}

#[test]
fn waiters_get_the_lock_in_arrival_order() {
    let lock = Lock::new(Vec::new());
    let held = lock.try_lock().unwrap();
    let probes: Vec<Probe> = (0..4).map(|_| Probe::new()).collect();
    let mut waiters: Vec<_> = (0..4)
        .map(|i| {
            let lock = &lock;
            task(async move { lock.lock().await.push(i) })
        })
        .collect();
    for (w, p) in waiters.iter_mut().zip(&probes) {
        p.pending(w.as_mut());
    }
    drop(held);
    // Poll in reverse: only the head may finish, whatever the polling order.
    for i in 0..4 {
        for j in (i + 1..4).rev() {
            probes[j].pending(waiters[j].as_mut());
        }
        assert_eq!(
            probes[i].wakes(),
            1,
            "waiter {i} is woken when its turn comes"
        );
        probes[i].ready(waiters[i].as_mut());
    }
    assert_eq!(*lock.try_lock().unwrap(), [0, 1, 2, 3]);
}

#[test]
fn newcomer_does_not_barge_past_a_woken_waiter() {
    let lock = Lock::new(());
    let held = lock.try_lock().unwrap();
    let (mut waiter, p) = parked(lock.lock());
    drop(held); // handed to `waiter`, which has not run yet
    assert!(lock.is_locked());
    assert!(lock.try_lock().is_err());
    let (mut late, newcomer) = parked(lock.lock());
    drop(p.ready(waiter.as_mut()));
    assert_eq!(newcomer.wakes(), 1);
    drop(newcomer.ready(late.as_mut()));
}

#[test]
fn woken_waiter_dropped_before_it_runs_hands_the_lock_on() {
    let lock = Lock::new(0);
    let held = lock.try_lock().unwrap();
    let (first, p1) = parked(lock.lock());
    let (mut second, p2) = parked(lock.lock());
    drop(held);
    assert_eq!(p1.wakes(), 1);
    assert_eq!(p2.wakes(), 0);
    drop(first); // woken, handed the lock, never ran
    assert_eq!(p2.wakes(), 1);
    *p2.ready(second.as_mut()) += 1;
    drop(second);
    assert!(!lock.is_locked());
}

#[test]
fn woken_waiter_dropped_with_nobody_behind_unlocks() {
    let lock = Lock::new(());
    let held = lock.try_lock().unwrap();
    let (waiter, _p) = parked(lock.lock());
    drop(held);
    drop(waiter);
    assert!(!lock.is_locked());
    assert!(lock.try_lock().is_ok());
}

#[test]
fn two_cancellations_and_one_unlock_wake_exactly_the_live_waiter() {
    let lock = Lock::new(());
    let held = lock.try_lock().unwrap();
    let probes: Vec<Probe> = (0..3).map(|_| Probe::new()).collect();
    let mut waiters: Vec<_> = (0..3).map(|_| Some(task(lock.lock()))).collect();
    for (w, p) in waiters.iter_mut().zip(&probes) {
        p.pending(w.as_mut().unwrap().as_mut());
    }
    waiters[0] = None;
    waiters[1] = None;
    drop(held);
    assert_eq!(probes[0].wakes() + probes[1].wakes(), 0);
    assert_eq!(probes[2].wakes(), 1);
    drop(probes[2].ready(waiters[2].as_mut().unwrap().as_mut()));
}

#[test]
fn waiter_woken_again_after_a_spurious_poll_still_gets_the_lock() {
    let lock = Lock::new(());
    let held = lock.try_lock().unwrap();
    let (a, b) = (Probe::new(), Probe::new());
    let mut waiter = task(lock.lock());
    a.pending(waiter.as_mut());
    b.pending(waiter.as_mut()); // moved to another task: the new waker counts
    drop(held);
    assert_eq!((a.wakes(), b.wakes()), (0, 1));
    drop(b.ready(waiter.as_mut()));
}

#[test]
fn owned_guard_unlocks_when_dropped_on_another_thread() {
    let lock = Arc::new(Lock::new(5));
    let guard = lock.clone().try_lock_owned().unwrap();
    std::thread::spawn(move || drop(guard)).join().unwrap();
    assert!(!lock.is_locked());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counter_is_exact_under_tokio_multi_thread() {
    let (tasks, rounds) = if MIRI { (4, 5) } else { (16, 200) };
    let lock = Arc::new(Lock::new(0u64));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let lock = lock.clone();
            tokio::spawn(async move {
                for _ in 0..rounds {
                    let mut guard = lock.lock().await;
                    *guard += 1;
                    tokio::task::yield_now().await; // held across an await
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(*lock.lock().await, tasks * rounds);
}

#[tokio::test(start_paused = true)]
async fn lock_under_random_timeouts_is_never_lost() {
    let n = if MIRI { 20 } else { 500 };
    let lock = Arc::new(Lock::new(0u32));
    let mut rng = Rng::new(7);
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let lock = lock.clone();
            let (wait, hold) = (rng.below(5), rng.below(3));
            tokio::spawn(async move {
                let timeout = std::time::Duration::from_millis(wait);
                if let Ok(mut guard) = tokio::time::timeout(timeout, lock.lock()).await {
                    *guard += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(hold)).await;
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    assert!(!lock.is_locked());
    assert!(lock.try_lock().is_ok());
}
