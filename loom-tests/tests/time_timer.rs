//! loom: timers — one dropped while it fires, one polled while it fires; no wake lost,
//! none doubled, nothing left in the wheel.
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
