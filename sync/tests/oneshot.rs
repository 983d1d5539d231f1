//! `oneshot`: value delivered once, closing on either side's drop, under tokio.

mod probe;

use probe::{parked, Probe};
use weft_sync::oneshot::{self, TryRecvError};

#[test]
fn send_wakes_the_waiting_receiver_with_the_value() {
    let (tx, rx) = oneshot::channel();
    let (mut rx, p) = parked(rx);
    tx.send(5).unwrap();
    assert_eq!(p.wakes(), 1);
    assert_eq!(p.ready(rx.as_mut()), Ok(5));
}

#[test]
fn dropping_the_sender_unsent_closes_the_channel() {
    let (tx, rx) = oneshot::channel::<u8>();
    let p = Probe::new();
    let mut rx = Box::pin(rx);
    p.pending(rx.as_mut());
    drop(tx);
    assert_eq!(p.wakes(), 1);
    assert!(rx.is_closed());
    assert_eq!(p.ready(rx.as_mut()).unwrap_err().to_string(), RECV_ERROR);
}

const RECV_ERROR: &str = "the sender was dropped without sending a value";

#[test]
fn send_to_a_dropped_receiver_hands_the_value_back() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send("v"), Err("v"));
}

#[test]
fn value_sent_to_a_receiver_dropped_unread_is_dropped_once() {
    let value = std::sync::Arc::new(());
    let (tx, rx) = oneshot::channel();
    tx.send(value.clone()).unwrap();
    drop(rx);
    assert_eq!(std::sync::Arc::strong_count(&value), 1);
}

#[test]
fn try_recv_reports_empty_then_the_value_then_closed() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.send(1).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn value_crosses_tasks_under_tokio_multi_thread() {
    let (tx, rx) = oneshot::channel::<Result<u32, String>>();
    tokio::spawn(async move { tx.send(Ok(3)).unwrap() });
    assert_eq!(rx.await, Ok(Ok(3)));
}
