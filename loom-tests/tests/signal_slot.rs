//! loom: one signal's slot — a delivery racing a listener's poll, a record racing a
//! dispatch, two runtimes' dispatchers racing over one record, a listener dropped
//! while it is woken. No delivery after a subscription is lost; none is counted twice.
#![cfg(weft_loom)]

mod sync_probe;

use loom::thread;
use std::sync::Arc;
use std::task::Waker;
use sync_probe::Probe;
use weft::__loom::signal::SlotModel;

/// A counting probe and a waker for it.
fn probe() -> (Arc<Probe>, Waker) {
    let probe = Probe::new();
    (probe.clone(), Waker::from(probe))
}

#[test]
fn a_delivery_racing_a_poll_is_seen_or_wakes_the_listener() {
    loom::model(|| {
        let slot = Arc::new(SlotModel::new());
        let mut listener = slot.subscribe();
        let (probe, waker) = probe();
        let deliverer = thread::spawn({
            let slot = slot.clone();
            move || {
                slot.record();
                assert!(slot.dispatch(), "nobody else took the record");
            }
        });
        let first = slot.poll(&mut listener, &waker);
        deliverer.join().unwrap();
        if first.is_pending() {
            assert_eq!(probe.wakes(), 1, "the listener was not woken");
            assert!(
                slot.poll(&mut listener, &waker).is_ready(),
                "the delivery was lost"
            );
        }
        assert!(slot.poll(&mut listener, &waker).is_pending(), "seen twice");
        slot.unsubscribe(listener);
    });
}

#[test]
fn a_record_racing_a_dispatch_is_dispatched_once() {
    loom::model(|| {
        let slot = Arc::new(SlotModel::new());
        let mut listener = slot.subscribe();
        let (_probe, waker) = probe();
        let handler = thread::spawn({
            let slot = slot.clone();
            move || slot.record()
        });
        let early = slot.dispatch();
        handler.join().unwrap();
        // The byte the handler wrote after recording makes a dispatcher run again.
        let late = slot.dispatch();
        assert!(early ^ late, "one record, one dispatch: {early} {late}");
        assert_eq!(slot.generation(), 1);
        assert!(slot.poll(&mut listener, &waker).is_ready());
        slot.unsubscribe(listener);
    });
}

#[test]
fn two_runtimes_dispatching_one_record_count_it_once_and_wake_the_listener() {
    loom::model(|| {
        let slot = Arc::new(SlotModel::new());
        let mut listener = slot.subscribe();
        let (probe, waker) = probe();
        assert!(slot.poll(&mut listener, &waker).is_pending());
        slot.record();
        let other = thread::spawn({
            let slot = slot.clone();
            move || slot.dispatch()
        });
        let here = slot.dispatch();
        let there = other.join().unwrap();
        assert!(here ^ there, "counted {} times", here as u8 + there as u8);
        assert_eq!(slot.generation(), 1);
        assert_eq!(probe.wakes(), 1);
        assert!(slot.poll(&mut listener, &waker).is_ready());
        slot.unsubscribe(listener);
    });
}

#[test]
fn a_listener_dropped_while_woken_leaves_the_others_served() {
    loom::model(|| {
        let slot = Arc::new(SlotModel::new());
        let mut leaving = slot.subscribe();
        let mut staying = slot.subscribe();
        let (_left, left_waker) = probe();
        let (stays, stay_waker) = probe();
        assert!(slot.poll(&mut leaving, &left_waker).is_pending());
        assert!(slot.poll(&mut staying, &stay_waker).is_pending());
        let deliverer = thread::spawn({
            let slot = slot.clone();
            move || {
                slot.record();
                slot.dispatch();
            }
        });
        slot.unsubscribe(leaving);
        deliverer.join().unwrap();
        assert_eq!(stays.wakes(), 1);
        assert!(slot.poll(&mut staying, &stay_waker).is_ready());
        // A new listener may take the freed key; it starts after the delivery.
        let mut late = slot.subscribe();
        assert!(slot.poll(&mut late, &stay_waker).is_pending());
        slot.unsubscribe(late);
        slot.unsubscribe(staying);
    });
}
