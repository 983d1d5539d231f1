//! loom: the monitor's hand-over (`scheduler/multi_thread/monitor.rs`) — a task in a
//! stuck worker's LIFO slot is run exactly once, by its owner or by the idle worker the
//! monitor hands it to, the monitor is never left asleep beside a running worker, and
//! a worker asleep off the driver is sent into it when nobody else turns it.
#![cfg(weft_loom)]

use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use loom::thread;
use std::sync::Arc;
use weft::__loom::monitor::{LifoModel, MonitorSleepModel};
use weft::__loom::park::{DriverParkModel, ParkModel};

/// No task for the idle worker: the owner ran it itself.
const NOTHING: u32 = 0;

/// The owner spawned task 1 into its slot and is stuck; the monitor steals it and
/// queues it for worker 1, which is parked. Whichever of the owner's take and the
/// monitor's steal wins, task 1 runs exactly once and the idle worker is never left
/// asleep with it queued (a lost wake-up is a deadlock loom reports).
#[test]
fn a_stuck_workers_lifo_task_runs_exactly_once() {
    loom::model(|| {
        let slot = Arc::new(LifoModel::new());
        let pool = Arc::new(ParkModel::new(2));
        assert_eq!(slot.put(1), None);
        let idle_worker = thread::spawn({
            let pool = pool.clone();
            move || pool.take_one(1)
        });
        let monitor = thread::spawn({
            let (slot, pool) = (slot.clone(), pool.clone());
            move || {
                if let Some(task) = slot.take() {
                    pool.push(task);
                }
            }
        });
        // The owner's poll ends; it looks at its slot.
        let owner_ran = slot.take();
        monitor.join().unwrap();
        if owner_ran.is_some() {
            pool.push(NOTHING);
        }
        let idle_ran = idle_worker.join().unwrap();
        match owner_ran {
            Some(task) => assert_eq!((task, idle_ran), (1, NOTHING)),
            None => assert_eq!(idle_ran, 1),
        }
        assert_eq!(pool.pop(), None);
    });
}

/// The owner refills its slot while the monitor empties it: every task comes out
/// exactly once.
#[test]
fn a_put_racing_a_steal_loses_nothing() {
    loom::model(|| {
        let slot = Arc::new(LifoModel::new());
        assert_eq!(slot.put(1), None);
        let monitor = thread::spawn({
            let slot = slot.clone();
            move || slot.take()
        });
        let displaced = slot.put(2);
        let stolen = monitor.join().unwrap();
        let left = slot.take();
        let mut seen: Vec<u32> = [displaced, stolen, left].into_iter().flatten().collect();
        seen.sort();
        assert_eq!(seen, [1, 2]);
    });
}

/// The monitor goes to sleep for good just as the last parked worker leaves its park:
/// it must wake (rule 4), or loom reports the deadlock.
#[test]
fn the_monitor_wakes_when_a_worker_unparks() {
    loom::model(|| {
        let model = Arc::new(MonitorSleepModel::new());
        let worker = thread::spawn({
            let model = model.clone();
            move || model.worker_unparks()
        });
        model.monitor_sleeps();
        worker.join().unwrap();
    });
}

/// Rule 3 of `monitor.rs`. Worker 0 held the driver's lock (it turned it between two
/// polls) and is now stuck in a long poll; worker 1 went to sleep on its condition
/// variable because the lock was taken; then an I/O event or a timer comes due for the
/// driver. The monitor's look finds the lock free and wakes worker 1, which parks
/// again — in the driver now — and sees the event. A lost hand-off leaves worker 1
/// asleep with the event undelivered: a deadlock loom reports, as the next model shows.
#[test]
fn a_sleeper_woken_by_the_monitor_parks_in_the_driver_and_sees_its_event() {
    loom::model(|| stuck_worker_with_event_for_the_driver(true));
}

/// The same runtime without the monitor's look: some interleaving leaves worker 1 on
/// its condition variable for good, which is the hang the monitor exists to end.
#[test]
#[should_panic(expected = "deadlock")]
fn without_the_monitors_look_the_event_waits_for_good() {
    loom::model(|| stuck_worker_with_event_for_the_driver(false));
}

fn stuck_worker_with_event_for_the_driver(monitor_looks: bool) {
    let model = Arc::new(DriverParkModel::new(2));
    let event = Arc::new(AtomicBool::new(false));
    let (sleeper, source) = model.with_driver_held(|| {
        let sleeper = thread::spawn({
            let (model, event) = (model.clone(), event.clone());
            move || {
                // park may return spuriously (park.rs, rule 3): re-check.
                while !event.load(SeqCst) {
                    model.park(1);
                }
            }
        });
        let source = thread::spawn({
            let (model, event) = (model.clone(), event.clone());
            move || {
                event.store(true, SeqCst);
                model.wake_driver();
            }
        });
        // Worker 0 keeps the lock a while: the others run meanwhile.
        thread::yield_now();
        (sleeper, source)
    });
    // Worker 0 lets go of the driver and starts its long poll; the monitor looks.
    if monitor_looks {
        model.monitor_looks(1);
    }
    source.join().unwrap();
    sleeper.join().unwrap();
}
