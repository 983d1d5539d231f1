//! Every cancel-safety claim of weft-sync, checked at every drop point: each waiter is
//! dropped before its first poll, right after each `Pending`, and at the wake after
//! each `Pending` (when the primitive may already have handed it an item, a permit or
//! a notification), while other parties go on; then nothing may be missing.
//!
//! Scenarios run on tokio's current-thread runtime (deterministic, as the harness
//! needs) with a paused clock, inside a timeout, so a lost wake-up fails the test
//! instead of hanging it.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::yield_now;
use weft_cancel_points::{every_drop_point, DropPoint};
use weft_sync::{
    oneshot, Barrier, BoundedSemaphore, Condition, Event, Lock, Queue, Semaphore, SemaphorePermit,
};

/// Runs `scenario` at every drop point, each run on a fresh runtime to its end; a wait
/// that never ends (a lost wake-up) fails, and so does an operation that never waited
/// (the test would prove nothing).
fn at_every_drop_point<F: Future<Output = ()>>(scenario: impl Fn(DropPoint) -> F) {
    let pendings = every_drop_point(|point| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            let within = tokio::time::timeout(Duration::from_secs(3600), scenario(point.clone()));
            assert!(
                within.await.is_ok(),
                "{point}: a party waited forever (a lost wake-up)"
            );
        });
    });
    assert!(
        pendings >= 1,
        "the operation never waited: the test proves nothing"
    );
}

/// Yields `n` times: lets the other parties of a `join!` run in between.
async fn yields(n: usize) {
    for _ in 0..n {
        yield_now().await;
    }
}

fn queue_get_loses_no_item(another_getter: bool) {
    at_every_drop_point(|point| async move {
        let queue = Queue::new(0);
        let other_got = Cell::new(None);
        let (cut, ..) = tokio::join!(
            point.run(queue.get()),
            async {
                if another_getter {
                    other_got.set(Some(queue.get().await.unwrap()));
                }
            },
            async {
                yields(2).await;
                queue.put_nowait(1).unwrap();
                yields(2).await;
                queue.put_nowait(2).unwrap();
            },
        );
        let mut got: Vec<u32> = cut.map(Result::unwrap).into_iter().collect();
        got.extend(other_got.take());
        while let Ok(item) = queue.get_nowait() {
            got.push(item);
        }
        got.sort_unstable();
        assert_eq!(got, [1, 2], "{point}: every item got exactly once");
    });
}

#[test]
fn queue_get_dropped_at_any_point_passes_its_item_to_the_next_getter() {
    queue_get_loses_no_item(true);
}

#[test]
fn queue_get_dropped_at_any_point_puts_its_item_back() {
    queue_get_loses_no_item(false);
}

#[test]
fn queue_get_dropped_at_any_point_keeps_fifo_order_for_what_it_puts_back() {
    at_every_drop_point(|point| async move {
        let queue = Queue::new(0);
        let (cut, ()) = tokio::join!(point.run(queue.get()), async {
            yields(2).await;
            queue.put_nowait(1).unwrap();
            queue.put_nowait(2).unwrap();
        });
        let mut got: Vec<u32> = cut.map(Result::unwrap).into_iter().collect();
        while let Ok(item) = queue.get_nowait() {
            got.push(item);
        }
        assert_eq!(got, [1, 2], "{point}: an item put back goes in front");
    });
}

#[test]
fn queue_put_dropped_at_any_point_puts_nothing_and_passes_its_slot_on() {
    at_every_drop_point(|point| async move {
        let queue = Queue::new(1);
        queue.put_nowait(0).unwrap();
        let mut consumed = Vec::new();
        let (cut, behind, ()) = tokio::join!(point.run(queue.put(1)), queue.put(2), async {
            for _ in 0..2 {
                yields(2).await;
                consumed.push(queue.get().await.unwrap());
            }
        });
        assert!(behind.is_ok(), "{point}: the put behind got a slot");
        while let Ok(item) = queue.get_nowait() {
            consumed.push(item);
        }
        consumed.sort_unstable();
        let expected: &[u32] = match cut {
            Some(put) => {
                put.unwrap();
                &[0, 1, 2]
            }
            None => &[0, 2],
        };
        assert_eq!(consumed, expected, "{point}: put iff it returned Ok");
    });
}

#[test]
fn queue_join_dropped_at_any_point_leaves_other_joiners_woken() {
    at_every_drop_point(|point| async move {
        let queue = Queue::new(0);
        queue.put_nowait(1).unwrap();
        tokio::join!(point.run(queue.join()), queue.join(), async {
            yields(2).await;
            queue.get().await.unwrap();
            queue.task_done().unwrap();
        });
    });
}

/// Locks, adds one, unlocks.
type AddOne<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// A lock held by a third party is released while the cut `lock` (made by `add_one`)
/// and another waiter wait: whoever gets it adds to the value, and the lock ends free.
fn lock_is_passed_on(add_one: impl Fn(&Arc<Lock<u32>>) -> AddOne<'_>) {
    let add_one = &add_one;
    at_every_drop_point(|point| async move {
        let lock = Arc::new(Lock::new(0));
        let held = lock.lock().await;
        let (cut_ran, ..) = tokio::join!(
            async { point.run(add_one(&lock)).await.is_some() },
            async { *lock.lock().await += 10 },
            async {
                yields(2).await;
                drop(held);
            },
        );
        assert!(!lock.is_locked(), "{point}: the lock is free at the end");
        let expected = if cut_ran { 11 } else { 10 };
        assert_eq!(*lock.try_lock().unwrap(), expected, "{point}");
    });
}

#[test]
fn lock_dropped_at_any_point_passes_the_lock_on() {
    lock_is_passed_on(|lock| Box::pin(async move { *lock.lock().await += 1 }));
}

#[test]
fn lock_owned_dropped_at_any_point_passes_the_lock_on() {
    lock_is_passed_on(|lock| Box::pin(async move { *lock.clone().lock_owned().await += 1 }));
}

#[test]
fn condition_lock_dropped_at_any_point_passes_the_lock_on() {
    at_every_drop_point(|point| async move {
        let cond = Condition::new(0u32);
        let held = cond.lock().await;
        tokio::join!(
            async {
                if let Some(mut guard) = point.run(cond.lock()).await {
                    *guard += 1;
                }
            },
            async { *cond.lock().await += 10 },
            async {
                yields(2).await;
                drop(held);
            },
        );
        assert!(
            cond.try_lock().is_ok(),
            "{point}: the lock is free at the end"
        );
    });
}

/// Acquires from a semaphore; the output is how many permits it got.
type Acquire<'a> = Pin<Box<dyn Future<Output = usize> + 'a>>;

/// `permits` permits, all held by a third party that gives them back one at a time
/// while the cut acquire and another wait; at the end every permit is back.
fn permits_are_passed_on(permits: usize, make: impl Fn(&Semaphore) -> Acquire<'_>) {
    let make = &make;
    at_every_drop_point(|point| async move {
        let sem = Semaphore::new(permits);
        let held = sem.try_acquire_many(permits).unwrap();
        let (cut, other, ()) = tokio::join!(point.run(make(&sem)), make(&sem), async {
            yields(2).await;
            held.forget();
            for _ in 0..permits {
                sem.add_permits(1);
                yields(2).await;
            }
        });
        assert_eq!(other, permits, "{point}");
        if let Some(got) = cut {
            assert_eq!(got, permits, "{point}");
        }
        assert_eq!(
            sem.available_permits(),
            permits,
            "{point}: every permit back"
        );
    });
}

/// Waits for `n` permits and gives them back: how many it got.
fn held_then_released(permit: SemaphorePermit<'_>) -> usize {
    permit.num_permits()
}

#[test]
fn semaphore_acquire_dropped_at_any_point_passes_the_permit_on() {
    permits_are_passed_on(1, |sem| {
        Box::pin(async move { held_then_released(sem.acquire().await.unwrap()) })
    });
}

#[test]
fn semaphore_acquire_many_dropped_at_any_point_returns_the_permits_set_aside() {
    permits_are_passed_on(3, |sem| {
        Box::pin(async move { held_then_released(sem.acquire_many(3).await.unwrap()) })
    });
}

#[test]
fn semaphore_acquire_owned_dropped_at_any_point_passes_the_permits_on() {
    at_every_drop_point(|point| async move {
        let sem = Arc::new(Semaphore::new(2));
        let held = sem.clone().try_acquire_owned().unwrap();
        let held_too = sem.clone().try_acquire_owned().unwrap();
        // Each permit is dropped as soon as it is got, so the other can have it.
        tokio::join!(
            async { drop(point.run(sem.clone().acquire_many_owned(2)).await) },
            async { drop(sem.clone().acquire_owned().await.unwrap()) },
            async {
                yields(2).await;
                drop(held);
                yields(2).await;
                drop(held_too);
            },
        );
        assert_eq!(sem.available_permits(), 2, "{point}: every permit back");
    });
}

#[test]
fn bounded_semaphore_acquire_dropped_at_any_point_passes_the_permit_on() {
    at_every_drop_point(|point| async move {
        let sem = BoundedSemaphore::new(1);
        let held = sem.try_acquire().unwrap();
        tokio::join!(
            async { drop(point.run(sem.acquire()).await) },
            async { drop(sem.acquire().await.unwrap()) },
            async {
                yields(2).await;
                drop(held);
            },
        );
        assert_eq!(sem.available_permits(), 1, "{point}: the permit is back");
    });
}

#[test]
fn event_wait_dropped_at_any_point_leaves_the_other_waiters_woken() {
    at_every_drop_point(|point| async move {
        let event = Event::new();
        tokio::join!(point.run(event.wait()), event.wait(), async {
            yields(2).await;
            event.set();
        });
    });
}

#[test]
fn condition_wait_dropped_at_any_point_passes_its_notification_on() {
    at_every_drop_point(|point| async move {
        let cond = Condition::new(false);
        let cut_done = Cell::new(None);
        tokio::join!(
            async {
                let guard = cond.lock().await;
                let woke = point.run(cond.wait(guard)).await;
                cut_done.set(Some(woke.is_some()));
            },
            async {
                let mut guard = cond.lock().await;
                while !*guard {
                    guard = cond.wait(guard).await;
                }
            },
            async {
                yields(4).await;
                *cond.lock().await = true;
                // One notification: if the cut waiter was dropped holding it, it
                // must reach the other waiter.
                cond.notify(1);
                while cut_done.get().is_none() {
                    yield_now().await;
                }
                if cut_done.get() == Some(true) {
                    // The cut waiter used the first one; the other needs its own.
                    cond.notify(1);
                }
            },
        );
        assert!(
            cond.try_lock().is_ok(),
            "{point}: the lock is free at the end"
        );
    });
}

#[test]
fn condition_wait_for_dropped_at_any_point_passes_its_notification_on() {
    at_every_drop_point(|point| async move {
        let cond = Condition::new(0u32);
        tokio::join!(
            async {
                let guard = cond.lock().await;
                drop(point.run(cond.wait_for(guard, |v| *v >= 1)).await);
            },
            async {
                let guard = cond.lock().await;
                drop(cond.wait_for(guard, |v| *v >= 1).await);
            },
            async {
                yields(4).await;
                *cond.lock().await = 1;
                cond.notify_all();
            },
        );
        assert!(
            cond.try_lock().is_ok(),
            "{point}: the lock is free at the end"
        );
    });
}

#[test]
fn barrier_wait_dropped_at_any_point_leaves_the_barrier_whole() {
    at_every_drop_point(|point| async move {
        let barrier = Barrier::new(2);
        let (cut_done, other_passed) = (Cell::new(false), Cell::new(false));
        tokio::join!(
            async {
                if let Some(passed) = point.run(barrier.wait()).await {
                    passed.unwrap();
                }
                cut_done.set(true);
            },
            async {
                yields(2).await;
                barrier.wait().await.unwrap();
                other_passed.set(true);
            },
            async {
                // A third party, needed only if the cut one left the round
                // before it completed: the other then waits alone (it must
                // have been left, not broken).
                while !cut_done.get() || !(other_passed.get() || barrier.n_waiting() == 1) {
                    yield_now().await;
                }
                if !other_passed.get() {
                    barrier.wait().await.unwrap();
                }
            },
        );
        assert_eq!(barrier.n_waiting(), 0, "{point}");
        assert!(!barrier.is_broken(), "{point}");
    });
}

#[test]
fn barrier_wait_dropped_before_the_round_completes_leaves_the_round() {
    at_every_drop_point(|point| async move {
        let barrier = Barrier::new(3);
        let (cut, ..) = tokio::join!(
            point.run(barrier.wait()),
            async {
                yields(1).await;
                barrier.wait().await.unwrap();
            },
            async {
                yields(3).await;
                barrier.wait().await.unwrap();
            },
            async {
                // The third party: needed only if the cut one left the round.
                yields(6).await;
                if barrier.n_waiting() == 2 {
                    barrier.wait().await.unwrap();
                }
            },
        );
        if let Some(passed) = cut {
            passed.unwrap();
        }
        assert_eq!(barrier.n_waiting(), 0, "{point}");
        assert!(!barrier.is_broken(), "{point}");
    });
}

#[test]
fn oneshot_receive_by_reference_dropped_at_any_point_keeps_the_value() {
    at_every_drop_point(|point| async move {
        let (tx, mut rx) = oneshot::channel();
        let (cut, ()) = tokio::join!(point.run(&mut rx), async {
            yields(2).await;
            tx.send(7).unwrap();
        });
        let value = match cut {
            Some(value) => value.unwrap(),
            None => rx.await.unwrap(),
        };
        assert_eq!(value, 7, "{point}");
    });
}
