//! `BoundedSemaphore`: release past the initial value is an error value, and
//! the asyncio pattern of a bare acquire and release (`forget` + `release`).

mod probe;

use std::sync::Arc;

use probe::parked;
use weft_sync::BoundedSemaphore;

#[test]
fn release_past_the_initial_value_is_an_error_not_a_panic() {
    let sem = BoundedSemaphore::new(2);
    assert_eq!(sem.release().unwrap_err().bound(), 2);
    sem.try_acquire().unwrap().forget();
    assert!(sem.release().is_ok());
    assert!(sem.release().is_err());
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn release_hands_the_permit_to_a_waiter() {
    let sem = BoundedSemaphore::new(1);
    sem.try_acquire().unwrap().forget();
    let (mut waiter, p) = parked(sem.acquire());
    sem.release().unwrap();
    assert_eq!(p.wakes(), 1);
    assert!(p.ready(waiter.as_mut()).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_tasks_and_takes_back_forgotten_permits_under_tokio_multi_thread() {
    let sem = Arc::new(BoundedSemaphore::new(2));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let sem = sem.clone();
            tokio::spawn(async move {
                sem.acquire().await.unwrap().forget(); // asyncio's bare acquire()
                tokio::task::yield_now().await;
                sem.release().unwrap(); // asyncio's bare release()
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(sem.available_permits(), 2);
    assert!(sem.release().is_err());
}
