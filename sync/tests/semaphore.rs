//! `Semaphore`: FIFO hand-off, conservation of permits under cancellation,
//! close, and use under tokio.

mod probe;

use std::sync::Arc;
use std::time::Duration;

use probe::{on_wake, parked, parked_n, poll_with, task, Probe, Rng, MIRI};
use weft_sync::{Semaphore, TryAcquireError};

#[test]
fn try_acquire_takes_free_permits_and_refuses_past_zero() {
    let sem = Semaphore::new(2);
    let a = sem.try_acquire().unwrap();
    let b = sem.try_acquire().unwrap();
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    drop((a, b));
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn waiters_get_permits_in_arrival_order() {
    let sem = Semaphore::new(0);
    let (mut waiters, probes) = parked_n(3, |_| task(sem.acquire()));
    for i in 0..3 {
        sem.add_permits(1);
        for (j, p) in probes.iter().enumerate() {
            assert_eq!(p.wakes(), usize::from(j <= i), "after {} releases", i + 1);
        }
        probes[i].ready(waiters[i].as_mut()).unwrap().forget();
    }
}

#[test]
fn released_permit_goes_to_the_head_waiter_and_the_count_stays_zero() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let (mut waiter, p) = parked(sem.acquire());
    drop(held);
    assert_eq!(sem.available_permits(), 0);
    assert!(
        sem.try_acquire().is_err(),
        "a newcomer must not take the head's permit"
    );
    assert_eq!(p.ready(waiter.as_mut()).unwrap().num_permits(), 1);
}

#[test]
fn a_woken_waiter_that_has_not_run_keeps_newcomers_behind_it() {
    // asyncio's test_acquire_fifo_order_2 (raw.rs, rule 6): while the head waiter has
    // been handed its permit but has not run, a second release does not free a
    // permit for newcomers: the newcomer queues, and gets it once the head has run.
    let sem = Semaphore::new(0);
    let (mut head, head_probe) = parked(sem.acquire());
    sem.add_permits(1);
    sem.add_permits(1);
    assert_eq!(
        sem.available_permits(),
        0,
        "the second permit waits in reserve"
    );
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    let (mut newcomer, newcomer_probe) = parked(sem.acquire());
    head_probe.ready(head.as_mut()).unwrap().forget();
    assert_eq!(
        newcomer_probe.wakes(),
        1,
        "the head's run hands the reserve on"
    );
    newcomer_probe.ready(newcomer.as_mut()).unwrap().forget();
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn a_woken_waiter_dropped_before_it_runs_frees_its_permit_and_the_reserve() {
    let sem = Semaphore::new(0);
    let (head, _probe) = parked(sem.acquire());
    sem.add_permits(1);
    sem.add_permits(1);
    assert_eq!(sem.available_permits(), 0);
    drop(head);
    assert_eq!(
        sem.available_permits(),
        2,
        "nobody queued: both are free again"
    );
}

#[test]
fn large_request_keeps_its_place_ahead_of_small_ones() {
    let sem = Semaphore::new(1);
    let (big, small) = (Probe::new(), Probe::new());
    let mut three = task(sem.acquire_many(3));
    big.pending(three.as_mut()); // takes the free permit, needs two more
    let mut one = task(sem.acquire());
    small.pending(one.as_mut());
    sem.add_permits(1);
    assert_eq!(
        (big.wakes(), small.wakes()),
        (0, 0),
        "the permit is set aside for the head"
    );
    sem.add_permits(2);
    assert_eq!(big.wakes(), 1);
    assert_eq!(
        small.wakes(),
        1,
        "the leftover permit goes to the next waiter"
    );
    assert_eq!(big.ready(three.as_mut()).unwrap().num_permits(), 3);
    assert_eq!(small.ready(one.as_mut()).unwrap().num_permits(), 1);
}

#[test]
fn woken_waiter_dropped_before_it_runs_hands_the_permit_on() {
    let sem = Semaphore::new(0);
    let (first, p1) = parked(sem.acquire());
    let (mut second, p2) = parked(sem.acquire());
    sem.add_permits(1);
    assert_eq!((p1.wakes(), p2.wakes()), (1, 0));
    drop(first);
    assert_eq!(p2.wakes(), 1);
    drop(p2.ready(second.as_mut()).unwrap());
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn partly_served_waiter_dropped_gives_back_what_it_was_assigned() {
    let sem = Semaphore::new(2);
    let (many, _p) = parked(sem.acquire_many(5));
    assert_eq!(sem.available_permits(), 0);
    sem.add_permits(1);
    drop(many);
    assert_eq!(sem.available_permits(), 3);
}

#[test]
fn two_cancellations_and_one_release_wake_exactly_the_live_waiter() {
    let sem = Semaphore::new(0);
    let probes: Vec<Probe> = (0..3).map(|_| Probe::new()).collect();
    let mut waiters: Vec<_> = (0..3).map(|_| Some(task(sem.acquire()))).collect();
    for (w, p) in waiters.iter_mut().zip(&probes) {
        p.pending(w.as_mut().unwrap().as_mut());
    }
    waiters[0] = None;
    waiters[1] = None;
    sem.add_permits(1);
    assert_eq!(
        probes.iter().map(Probe::wakes).collect::<Vec<_>>(),
        [0, 0, 1]
    );
    assert!(probes[2]
        .ready(waiters[2].as_mut().unwrap().as_mut())
        .is_ok());
}

#[test]
fn close_fails_queued_and_later_acquires_and_keeps_permits_held() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let (mut waiter, p) = parked(sem.acquire());
    sem.close();
    assert_eq!(p.wakes(), 1);
    assert!(p.ready(waiter.as_mut()).is_err());
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
    assert_eq!(held.num_permits(), 1);
}

#[test]
fn forgotten_permit_leaves_circulation() {
    let sem = Semaphore::new(2);
    sem.try_acquire().unwrap().forget();
    assert_eq!(sem.available_permits(), 1);
}

#[tokio::test(start_paused = true)]
async fn permits_are_conserved_after_1000_tasks_acquire_under_random_timeouts() {
    let (tasks, permits) = if MIRI { (40, 3) } else { (1000, 7) };
    let sem = Arc::new(Semaphore::new(permits));
    let mut rng = Rng::new(42);
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let sem = sem.clone();
            let (wait, hold, many) = (rng.below(6), rng.below(4), 1 + rng.below(3) as usize);
            tokio::spawn(async move {
                let acquire = sem.acquire_many(many);
                if let Ok(permit) = tokio::time::timeout(Duration::from_millis(wait), acquire).await
                {
                    tokio::time::sleep(Duration::from_millis(hold)).await;
                    drop(permit.unwrap());
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(sem.available_permits(), permits);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_holders_than_permits_under_tokio_multi_thread() {
    let (tasks, rounds) = if MIRI { (4, 4) } else { (16, 100) };
    let sem = Arc::new(Semaphore::new(3));
    let inside = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (sem, inside) = (sem.clone(), inside.clone());
            tokio::spawn(async move {
                use std::sync::atomic::Ordering::SeqCst;
                for _ in 0..rounds {
                    let _permit = sem.acquire().await.unwrap();
                    assert!(inside.fetch_add(1, SeqCst) < 3);
                    tokio::task::yield_now().await;
                    inside.fetch_sub(1, SeqCst);
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(sem.available_permits(), 3);
}

#[test]
fn permit_released_while_close_is_failing_waiters_goes_to_no_waiter() {
    // 40 waiters: close fails them in two batches, unlocking in between. The
    // first failed waiter's waker releases a permit right in that gap.
    let sem = Arc::new(Semaphore::new(0));
    let releaser = on_wake({
        let sem = sem.clone();
        move || sem.add_permits(1)
    });
    let mut waiters: Vec<_> = (0..40)
        .map(|_| {
            let sem = sem.clone();
            Box::pin(async move { sem.acquire().await.map(|p| p.forget()) })
        })
        .collect();
    assert!(poll_with(&releaser, waiters[0].as_mut()).is_pending());
    for w in &mut waiters[1..] {
        Probe::new().pending(w.as_mut());
    }
    sem.close();
    for w in &mut waiters {
        assert!(Probe::new().ready(w.as_mut()).is_err());
    }
    assert_eq!(sem.available_permits(), 1);
}
