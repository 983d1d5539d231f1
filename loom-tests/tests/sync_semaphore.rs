//! loom: semaphore waiters polled once, then dropped, against concurrent
//! releases; permits are neither lost nor duplicated, and live waiters finish.
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use sync_probe::queued;
use weft_sync::Semaphore;

#[test]
fn dropped_waiter_racing_release_hands_the_permit_to_the_live_waiter() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let held = sem.clone().try_acquire_owned().unwrap();
        let doomed = queued({
            let sem = sem.clone();
            async move { drop(sem.acquire().await) }
        });
        let live = thread::spawn({
            let sem = sem.clone();
            move || block_on(async move { sem.acquire().await.unwrap().forget() })
        });
        let canceller = thread::spawn(move || drop(doomed));
        drop(held);
        canceller.join().unwrap();
        live.join().unwrap();
        // The live waiter took the one permit (and kept it): none left, none made.
        assert_eq!(sem.available_permits(), 0);
        sem.add_permits(1);
        assert_eq!(sem.available_permits(), 1);
    });
}

#[test]
fn partly_assigned_waiter_dropped_racing_release_returns_its_permits() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        // Takes the free permit, queues for one more.
        let doomed = queued({
            let sem = sem.clone();
            async move { drop(sem.acquire_many(2).await) }
        });
        let releaser = thread::spawn({
            let sem = sem.clone();
            move || sem.add_permits(1)
        });
        drop(doomed);
        releaser.join().unwrap();
        assert_eq!(sem.available_permits(), 2, "a permit was lost or made");
    });
}

#[test]
fn close_racing_release_fails_or_serves_the_waiter_and_conserves_the_permit() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiter = queued({
            let sem = sem.clone();
            async move { sem.acquire().await.map(|permit| permit.forget()).is_ok() }
        });
        let closer = thread::spawn({
            let sem = sem.clone();
            move || sem.close()
        });
        sem.add_permits(1);
        let served = block_on(waiter); // would deadlock if the waiter were stranded
        closer.join().unwrap();
        // Served: it took (and forgot) the permit. Failed: the permit is free.
        assert_eq!(sem.available_permits() + usize::from(served), 1);
    });
}

#[test]
fn a_woken_waiter_keeps_its_place_and_its_drop_hands_the_permit_to_the_newcomer() {
    // A waits; a release hands A the permit; a newcomer B arrives while A has not
    // run (it must queue behind A, not take a permit), and A is dropped. Whatever
    // the order, B ends up with the permit: it is never stranded or duplicated.
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let a = queued({
            let sem = sem.clone();
            async move { sem.acquire().await.unwrap().forget() }
        });
        let releaser = thread::spawn({
            let sem = sem.clone();
            move || sem.add_permits(1)
        });
        let newcomer = thread::spawn({
            let sem = sem.clone();
            move || block_on(async move { sem.acquire().await.unwrap().forget() })
        });
        drop(a);
        releaser.join().unwrap();
        newcomer.join().unwrap(); // would deadlock if the permit were stranded
        assert_eq!(sem.available_permits(), 0, "a permit was made");
    });
}

#[test]
fn a_release_while_a_woken_waiter_has_not_run_waits_for_it_then_is_free() {
    // A is woken with the one permit; a second release comes before A runs. The
    // second permit waits for A to run (a newcomer may not take it meanwhile: rule 6),
    // then is free: it is never lost, and never given twice.
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let probe = sync_probe::Probe::new();
        let mut a = Box::pin({
            let sem = sem.clone();
            async move { sem.acquire().await.unwrap().forget() }
        });
        assert!(probe.poll(a.as_mut()).is_pending());
        sem.add_permits(1); // A is woken with it, and has not run
        let releaser = thread::spawn({
            let sem = sem.clone();
            move || sem.add_permits(1)
        });
        let runner = thread::spawn(move || probe.poll(a.as_mut()).is_ready());
        let b_took = sem.try_acquire().map(|permit| permit.forget()).is_ok();
        releaser.join().unwrap();
        assert!(runner.join().unwrap(), "A was handed its permit");
        assert_eq!(usize::from(b_took) + sem.available_permits(), 1);
    });
}
