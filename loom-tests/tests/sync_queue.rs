//! loom: queue getters and putters polled once, then dropped, against the put
//! or get that hands them an item or a slot; nothing lost or duplicated.
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use sync_probe::queued;
use weft_sync::Queue;

#[test]
fn get_dropped_racing_put_loses_no_item() {
    loom::model(|| {
        let q = Arc::new(Queue::new(0));
        let doomed = queued({
            let q = q.clone();
            async move { q.get().await.unwrap() }
        });
        let canceller = thread::spawn(move || drop(doomed));
        let putter = thread::spawn({
            let q = q.clone();
            move || q.put_nowait(7).unwrap()
        });
        assert_eq!(block_on(q.get()), Ok(7)); // would deadlock if the item were lost
        canceller.join().unwrap();
        putter.join().unwrap();
        assert!(q.empty());
    });
}

#[test]
fn put_dropped_racing_the_get_that_frees_its_slot_puts_nothing_and_leaks_no_slot() {
    loom::model(|| {
        let q = Arc::new(Queue::new(1));
        q.put_nowait(0).unwrap();
        let doomed = queued({
            let q = q.clone();
            async move { q.put(1).await.unwrap() }
        });
        let getter = thread::spawn({
            let q = q.clone();
            move || q.get_nowait().unwrap()
        });
        drop(doomed);
        assert_eq!(getter.join().unwrap(), 0);
        assert!(q.empty(), "a cancelled put put its item");
        assert!(!q.full(), "the freed slot leaked");
        q.put_nowait(2).unwrap();
    });
}

#[test]
fn shutdown_racing_a_put_to_a_waiting_getter_loses_nothing() {
    loom::model(|| {
        let q = Arc::new(Queue::new(0));
        let getter = queued({
            let q = q.clone();
            async move { q.get().await.ok() }
        });
        let putter = thread::spawn({
            let q = q.clone();
            move || q.put_nowait(7).is_ok()
        });
        q.shutdown(false);
        let got = block_on(getter); // would deadlock if the getter were stranded
        let put = putter.join().unwrap();
        let left = q.get_nowait().ok();
        // A put that succeeded delivered its item exactly once; a failed put
        // delivered nothing.
        let delivered = usize::from(got.is_some()) + usize::from(left.is_some());
        assert_eq!(delivered, usize::from(put));
    });
}
