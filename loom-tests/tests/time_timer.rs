//! loom: timers — one dropped while it fires, one polled while it fires, one reset
//! while it fires; no wake lost, none doubled, nothing left in the wheel
//! (`time/timers.rs`, rule 1; the wheel's rules 1 and 4). And no oversleep
//! (`timers.rs`, rule 2): a timer inserted, or reset, earlier than the tick the parked
//! driver wakes at unparks it — the model's driver counts its unparks.
#![cfg(weft_loom)]

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::time::Duration;
use weft::__loom::timer::TimerModel;

struct Probe(AtomicUsize);

impl Wake for Probe {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

fn probe() -> (Arc<Probe>, Waker) {
    let probe = Arc::new(Probe(AtomicUsize::new(0)));
    (probe.clone(), Waker::from(probe))
}

#[test]
fn a_timer_dropped_while_it_fires() {
    loom::model(|| {
        let model = Arc::new(TimerModel::new());
        let (probe, waker) = probe();
        let mut timer = model.timer(Duration::from_millis(10));
        assert!(model.poll(&mut timer, &waker).is_pending());
        let firer = thread::spawn({
            let model = model.clone();
            move || model.advance_and_fire(Duration::from_millis(10))
        });
        model.drop_timer(timer);
        let fired = firer.join().unwrap();
        assert!(fired <= 1);
        assert_eq!(probe.0.load(SeqCst), fired, "woken iff it fired");
        assert_eq!(model.len(), 0, "the entry is gone either way");
    });
}

#[test]
fn a_timer_polled_again_while_it_fires_is_ready_or_woken() {
    loom::model(|| {
        let model = Arc::new(TimerModel::new());
        let (_first, first_waker) = probe();
        let mut timer = model.timer(Duration::from_millis(10));
        assert!(model.poll(&mut timer, &first_waker).is_pending());
        let firer = thread::spawn({
            let model = model.clone();
            move || model.advance_and_fire(Duration::from_millis(10))
        });
        let (second, second_waker) = probe();
        let ready = model.poll(&mut timer, &second_waker).is_ready();
        firer.join().unwrap();
        if !ready {
            // Polled before the fire: the fire must wake the newest waker.
            assert_eq!(second.0.load(SeqCst), 1, "the wake was lost");
            assert!(model.poll(&mut timer, &second_waker).is_ready());
        }
        model.drop_timer(timer);
        assert_eq!(model.len(), 0);
    });
}

const MS: Duration = Duration::from_millis(1);

/// The driver parks with no timer (it will sleep until woken) while a timer due at
/// 10 ms is inserted: either the driver's timeout already counts the new timer, or
/// the insert unparks it — exactly one of the two.
#[test]
fn a_timer_inserted_while_the_driver_parks_with_none_unparks_it() {
    loom::model(|| {
        let model = Arc::new(TimerModel::new());
        let (_probe, waker) = probe();
        let driver = thread::spawn({
            let model = model.clone();
            move || model.park()
        });
        let mut timer = model.timer(10 * MS);
        assert!(model.poll(&mut timer, &waker).is_pending());
        let timeout = driver.join().unwrap();
        assert!(timeout.is_none() || timeout == Some(10 * MS));
        assert_eq!(
            model.unparks(),
            usize::from(timeout.is_none()),
            "parked until {timeout:?}: the driver oversleeps the new timer, or was woken \
             for nothing"
        );
        model.drop_timer(timer);
    });
}

/// The driver parks until the one timer's tick, 20 ms, while that timer is reset to
/// 10 ms: either the driver's timeout already counts the reset, or the reset unparks
/// it — exactly one of the two.
#[test]
fn a_timer_reset_earlier_than_the_parked_drivers_wake_tick_unparks_it() {
    loom::model(|| {
        let model = Arc::new(TimerModel::new());
        let (_probe, waker) = probe();
        let mut timer = model.timer(20 * MS);
        assert!(model.poll(&mut timer, &waker).is_pending());
        let driver = thread::spawn({
            let model = model.clone();
            move || model.park()
        });
        model.reset(&mut timer, 10 * MS);
        let timeout = driver.join().unwrap();
        assert!(timeout == Some(10 * MS) || timeout == Some(20 * MS));
        assert_eq!(
            model.unparks(),
            usize::from(timeout == Some(20 * MS)),
            "parked until {timeout:?}: the driver oversleeps the reset timer, or was woken \
             for nothing"
        );
        model.drop_timer(timer);
    });
}

/// A timer due at 10 ms is reset to 20 ms while the clock reaches 10 ms and fires:
/// reset first, nothing fires; fired first, the reset arms it again. Either way it
/// was woken exactly as often as it fired, is pending after, and fires once at 20 ms.
#[test]
fn a_timer_reset_while_it_fires_is_woken_once_per_firing_and_armed_again() {
    loom::model(|| {
        let model = Arc::new(TimerModel::new());
        let (probe, waker) = probe();
        let mut timer = model.timer(10 * MS);
        assert!(model.poll(&mut timer, &waker).is_pending());
        let firer = thread::spawn({
            let model = model.clone();
            move || model.advance_and_fire(10 * MS)
        });
        model.reset(&mut timer, 20 * MS);
        let fired = firer.join().unwrap();
        assert!(fired <= 1);
        assert_eq!(probe.0.load(SeqCst), fired, "woken iff it fired");
        assert!(
            model.poll(&mut timer, &waker).is_pending(),
            "the reset was lost"
        );
        assert_eq!(model.advance_and_fire(10 * MS), 1);
        assert_eq!(probe.0.load(SeqCst), fired + 1);
        assert!(model.poll(&mut timer, &waker).is_ready());
        assert_eq!(model.len(), 0);
    });
}
