//! loom: `Event::set` against queued waiters, a dropped waiter, and a clear.
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use sync_probe::queued;
use weft_sync::Event;

#[test]
fn set_then_clear_still_wakes_a_queued_waiter_while_another_is_dropped() {
    loom::model(|| {
        let event = Arc::new(Event::new());
        let live = queued({
            let event = event.clone();
            async move { event.wait().await }
        });
        let doomed = queued({
            let event = event.clone();
            async move { event.wait().await }
        });
        let waiter = thread::spawn(move || block_on(live));
        let canceller = thread::spawn(move || drop(doomed));
        event.set();
        event.clear();
        canceller.join().unwrap();
        waiter.join().unwrap(); // would deadlock if the wake were lost
        assert!(!event.is_set());
    });
}

#[test]
fn waiter_arriving_during_set_either_sees_it_or_is_woken() {
    loom::model(|| {
        let event = Arc::new(Event::new());
        let waiter = thread::spawn({
            let event = event.clone();
            move || block_on(async move { event.wait().await })
        });
        event.set();
        waiter.join().unwrap();
    });
}
