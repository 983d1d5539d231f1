//! loom: a `Condition` waiter dropped while `notify(1)` picks it; the
//! notification must reach the other waiter (tokio #4668, asyncio gh-112202).
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use sync_probe::{queued, Probe, Task};
use weft_sync::Condition;

fn waiter(cond: &Arc<Condition<u32>>) -> Task<()> {
    let cond = cond.clone();
    queued(async move {
        let guard = cond.lock().await;
        let mut guard = cond.wait(guard).await;
        *guard += 1;
    })
}

#[test]
fn notification_picked_by_a_dropped_waiter_passes_to_the_live_one() {
    loom::model(|| {
        let cond = Arc::new(Condition::new(0));
        let doomed = waiter(&cond);
        let live = waiter(&cond);
        let canceller = thread::spawn(move || drop(doomed));
        let notifier = thread::spawn({
            let cond = cond.clone();
            move || cond.notify(1)
        });
        block_on(live); // would deadlock if the notification were lost
        canceller.join().unwrap();
        notifier.join().unwrap();
        assert_eq!(*cond.try_lock().expect("the lock leaked"), 1);
    });
}

#[test]
fn waiter_dropped_while_retaking_the_lock_passes_the_notification_on() {
    loom::model(|| {
        let cond = Arc::new(Condition::new(0));
        let mut doomed = waiter(&cond);
        let live = waiter(&cond);
        let held = cond.try_lock().unwrap(); // so a notified waiter must queue for it
        let notifier = thread::spawn({
            let cond = cond.clone();
            move || cond.notify(1)
        });
        let canceller = thread::spawn(move || {
            // If already notified, this poll queues it for the lock; then it is
            // dropped there.
            let _ = Probe::new().poll(doomed.as_mut());
            drop(doomed);
        });
        notifier.join().unwrap();
        canceller.join().unwrap();
        drop(held);
        block_on(live); // would deadlock if the notification were lost
        assert_eq!(*cond.try_lock().expect("the lock leaked"), 1);
    });
}
