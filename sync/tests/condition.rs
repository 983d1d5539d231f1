//! `Condition<T>`: notify order, the lock held again on return, and a
//! notification never lost to a cancelled waiter.

mod probe;

use std::sync::Arc;

use probe::{parked, parked_n, task, Probe, Task};
use weft_sync::{Condition, LockGuard};

/// A task that waits on `cond` once, then records `id` with the lock held.
fn waiter(cond: &Condition<Vec<usize>>, id: usize) -> Task<'_, ()> {
    task(async move {
        let guard = cond.lock().await;
        let mut guard = cond.wait(guard).await;
        guard.push(id);
    })
}

#[test]
fn notify_wakes_waiters_in_the_order_they_began_to_wait() {
    let cond = Condition::new(Vec::new());
    let (mut waiters, probes) = parked_n(3, |i| waiter(&cond, i));
    assert!(!cond.is_locked(), "wait releases the lock");
    for i in [0, 1, 2] {
        cond.notify(1);
        assert_eq!(probes[i].wakes(), 1);
        probes[i].ready(waiters[i].as_mut());
    }
    assert_eq!(*cond.try_lock().unwrap(), [0, 1, 2]);
}

#[test]
fn wait_returns_only_with_the_lock_held() {
    let cond = Condition::new(0);
    let p = Probe::new();
    let mut w = task(async {
        let guard = cond.lock().await;
        let guard: LockGuard<'_, i32> = cond.wait(guard).await;
        assert!(cond.is_locked());
        *guard
    });
    p.pending(w.as_mut());
    let mut held = cond.try_lock().unwrap();
    *held = 9;
    cond.notify(1);
    p.pending(w.as_mut()); // notified, but the lock is held
    drop(held);
    assert_eq!(p.ready(w.as_mut()), 9);
}

#[test]
fn notified_waiter_dropped_before_it_runs_passes_the_notification_on() {
    let cond = Condition::new(Vec::new());
    let (first, p1) = parked(waiter(&cond, 1));
    let (mut second, p2) = parked(waiter(&cond, 2));
    cond.notify(1);
    assert_eq!((p1.wakes(), p2.wakes()), (1, 0));
    drop(first);
    assert_eq!(p2.wakes(), 1);
    p2.ready(second.as_mut());
    assert_eq!(*cond.try_lock().unwrap(), [2]);
}

#[test]
fn waiter_dropped_while_retaking_the_lock_passes_the_notification_on() {
    let cond = Condition::new(Vec::new());
    let (mut first, p1) = parked(waiter(&cond, 1));
    let (mut second, p2) = parked(waiter(&cond, 2));
    let held = cond.try_lock().unwrap();
    cond.notify(1);
    p1.pending(first.as_mut()); // notified; now queued for the lock
    drop(first);
    assert_eq!(p2.wakes(), 1);
    drop(held);
    p2.ready(second.as_mut());
    assert!(!cond.is_locked());
}

#[test]
fn two_cancellations_and_one_notify_wake_exactly_the_live_waiter() {
    let cond = Condition::new(Vec::new());
    let probes: Vec<Probe> = (0..3).map(|_| Probe::new()).collect();
    let mut waiters: Vec<_> = (0..3).map(|i| Some(waiter(&cond, i))).collect();
    for (w, p) in waiters.iter_mut().zip(&probes) {
        p.pending(w.as_mut().unwrap().as_mut());
    }
    waiters[0] = None;
    waiters[1] = None;
    cond.notify(1);
    assert_eq!(
        probes.iter().map(Probe::wakes).collect::<Vec<_>>(),
        [0, 0, 1]
    );
    probes[2].ready(waiters[2].as_mut().unwrap().as_mut());
}

#[test]
fn notify_all_wakes_only_the_tasks_waiting_now() {
    let cond = Condition::new(Vec::new());
    let probes: Vec<Probe> = (0..3).map(|_| Probe::new()).collect();
    let mut waiters: Vec<_> = (0..3).map(|i| waiter(&cond, i)).collect();
    for (w, p) in waiters.iter_mut().zip(&probes).take(2) {
        p.pending(w.as_mut());
    }
    cond.notify_all();
    probes[2].pending(waiters[2].as_mut());
    assert_eq!(
        probes.iter().map(Probe::wakes).collect::<Vec<_>>(),
        [1, 1, 0]
    );
}

#[test]
fn wait_for_checks_the_predicate_after_each_notification() {
    let cond = Condition::new(0);
    let p = Probe::new();
    let mut w = task(async {
        let guard = cond.lock().await;
        *cond.wait_for(guard, |n| *n >= 2).await
    });
    p.pending(w.as_mut());
    *cond.try_lock().unwrap() = 1;
    cond.notify(1);
    p.pending(w.as_mut());
    *cond.try_lock().unwrap() = 2;
    cond.notify(1);
    assert_eq!(p.ready(w.as_mut()), 2);
}

#[test]
#[should_panic(expected = "guard of another lock")]
fn wait_with_a_guard_of_another_lock_panics() {
    let (a, b) = (Condition::new(()), Condition::new(()));
    let guard = b.try_lock().unwrap();
    let mut w = task(a.wait(guard));
    let _ = Probe::new().poll(w.as_mut());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn producer_and_consumers_meet_under_tokio_multi_thread() {
    let items = if probe::MIRI { 10 } else { 200 };
    let cond = Arc::new(Condition::new(Vec::<u32>::new()));
    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let cond = cond.clone();
            tokio::spawn(async move {
                let mut taken = 0;
                loop {
                    let guard = cond.lock().await;
                    let mut guard = cond.wait_for(guard, |v| !v.is_empty()).await;
                    if guard.pop() == Some(u32::MAX) {
                        guard.push(u32::MAX); // let the others see the end too
                        cond.notify_all();
                        return taken;
                    }
                    taken += 1;
                }
            })
        })
        .collect();
    for i in 0..items {
        cond.lock().await.insert(0, i);
        cond.notify(1);
    }
    cond.lock().await.insert(0, u32::MAX);
    cond.notify_all();
    let mut total = 0;
    for c in consumers {
        total += c.await.unwrap();
    }
    assert_eq!(total, items);
}
