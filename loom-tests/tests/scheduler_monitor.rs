//! loom: the monitor's hand-over (`scheduler/multi_thread/monitor.rs`) — a task in a
//! stuck worker's LIFO slot is run exactly once, by its owner or by the idle worker the
//! monitor hands it to, and the monitor is never left asleep beside a running worker.
#![cfg(weft_loom)]

use loom::thread;
use std::sync::Arc;
use weft::__loom::monitor::{LifoModel, MonitorSleepModel};
use weft::__loom::park::ParkModel;

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
