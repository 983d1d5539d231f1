//! loom: `oneshot` send racing the receiver's drop, and the sender's drop
//! racing a waiting receiver; the value is dropped exactly once.
#![cfg(weft_loom)]

use std::sync::Arc;

use loom::future::block_on;
use loom::thread;
use weft_sync::oneshot;

#[test]
fn send_racing_receiver_drop_drops_the_value_exactly_once() {
    loom::model(|| {
        let value = Arc::new(());
        let (tx, rx) = oneshot::channel();
        let sender = thread::spawn({
            let value = value.clone();
            move || tx.send(value).is_ok()
        });
        drop(rx);
        let _ = sender.join().unwrap();
        assert_eq!(Arc::strong_count(&value), 1, "the value leaked");
    });
}

#[test]
fn sender_dropped_unsent_wakes_the_waiting_receiver() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u8>();
        let dropper = thread::spawn(move || drop(tx));
        assert!(block_on(rx).is_err());
        dropper.join().unwrap();
    });
}

#[test]
fn value_sent_reaches_the_waiting_receiver() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel();
        let sender = thread::spawn(move || tx.send(5).unwrap());
        assert_eq!(block_on(rx), Ok(5));
        sender.join().unwrap();
    });
}
