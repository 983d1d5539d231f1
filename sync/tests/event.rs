//! `Event`: set wakes every waiter, set–clear–set still wakes, drop-safety,
//! and use under tokio.

mod probe;

use std::sync::Arc;

use probe::{parked, parked_n, task, Probe};
use weft_sync::Event;

#[test]
fn wait_on_a_set_event_is_ready_at_once() {
    let event = Event::new();
    event.set();
    Probe::new().ready(task(event.wait()).as_mut());
}

#[test]
fn set_wakes_every_current_waiter() {
    let event = Event::new();
    let (mut waiters, probes) = parked_n(40, |_| task(event.wait()));
    event.set();
    for (w, p) in waiters.iter_mut().zip(&probes) {
        assert_eq!(p.wakes(), 1);
        p.ready(w.as_mut());
    }
}

#[test]
fn set_clear_set_before_the_waiter_runs_still_wakes_it() {
    let event = Event::new();
    let (mut waiter, p) = parked(event.wait());
    event.set();
    event.clear();
    event.set();
    event.clear();
    assert!(!event.is_set());
    assert_eq!(p.wakes(), 1);
    p.ready(waiter.as_mut());
}

#[test]
fn waiter_arriving_after_clear_waits_for_the_next_set() {
    let event = Event::new();
    event.set();
    event.clear();
    let (mut waiter, p) = parked(event.wait());
    assert_eq!(p.wakes(), 0);
    event.set();
    p.ready(waiter.as_mut());
}

#[test]
fn dropped_waiter_does_not_stop_the_others_being_woken() {
    let event = Event::new();
    let (first, _p1) = parked(event.wait());
    let (mut second, p2) = parked(event.wait());
    drop(first);
    event.set();
    assert_eq!(p2.wakes(), 1);
    p2.ready(second.as_mut());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_releases_tasks_under_tokio_multi_thread() {
    let event = Arc::new(Event::new());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let event = event.clone();
            tokio::spawn(async move { event.wait().await })
        })
        .collect();
    // Whether each task is already queued or not yet polled, it must return.
    event.set();
    for h in handles {
        h.await.unwrap();
    }
    assert!(event.is_set());
}

#[test]
fn a_panicking_waker_does_not_cost_the_other_waiters_their_wake_up() {
    let event = Event::new();
    let mut bad = task(event.wait());
    let panicker = probe::on_wake(|| panic!("a waker that panics"));
    assert!(probe::poll_with(&panicker, bad.as_mut()).is_pending());
    let (mut good, p) = parked(event.wait());
    let set = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| event.set()));
    assert!(set.is_err(), "the waker's panic reaches the caller of set");
    assert_eq!(p.wakes(), 1);
    p.ready(good.as_mut());
}
