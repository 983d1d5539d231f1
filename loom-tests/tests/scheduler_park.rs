//! loom: the workers' park protocol — work pushed while the last worker parks is
//! always run (a lost wakeup leaves a worker asleep with work queued: a deadlock loom
//! reports) — and the parker under it: an unpark reaches a thread asleep in the
//! driver as surely as one asleep on its condition variable (`scheduler/park.rs`,
//! rule 1; `driver.rs`, rule 2; weft-io's `reactor/handle.rs`, rule 1).
#![cfg(weft_loom)]

use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use loom::thread;
use std::sync::Arc;
use weft::__loom::park::{DriverParkModel, ParkModel};

#[test]
fn work_pushed_while_the_last_worker_parks_is_run() {
    loom::model(|| {
        let pool = Arc::new(ParkModel::new(1));
        let worker = thread::spawn({
            let pool = pool.clone();
            move || pool.take_one(0)
        });
        pool.push(7);
        assert_eq!(worker.join().unwrap(), 7);
    });
}

/// Each worker takes one item, so both pushes must reach a worker: the second push may
/// skip its wake because the first woke a worker that is still searching, and that
/// searcher must then wake the other when it finds more work queued (idle.rs, rule 2).
#[test]
fn two_pushes_reach_two_parking_workers() {
    loom::model(|| {
        let pool = Arc::new(ParkModel::new(2));
        let workers: Vec<_> = (0..2)
            .map(|index| {
                let pool = pool.clone();
                thread::spawn(move || pool.take_one(index))
            })
            .collect();
        pool.push(1);
        pool.push(2);
        let mut got: Vec<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        got.sort();
        assert_eq!(got, [1, 2]);
    });
}

/// Two threads park around one driver: the one that wins its lock sleeps in the
/// reactor's poll, the other on its condition variable (or both in turn, as the lock
/// changes hands). Work for each is flagged, then its parker unparked: a lost unpark
/// leaves a thread asleep with its flag set, a deadlock loom reports.
#[test]
fn unparks_reach_threads_asleep_in_the_driver_and_on_the_condvar() {
    loom::model(|| {
        let model = Arc::new(DriverParkModel::new(2));
        let work: Arc<[AtomicBool; 2]> = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
        let sleepers: Vec<_> = (0..2)
            .map(|index| {
                let (model, work) = (model.clone(), work.clone());
                thread::spawn(move || {
                    // park may return spuriously (park.rs, rule 3): re-check.
                    while !work[index].load(SeqCst) {
                        model.park(index);
                    }
                })
            })
            .collect();
        for (index, flag) in work.iter().enumerate() {
            flag.store(true, SeqCst);
            model.unpark(index);
        }
        for sleeper in sleepers {
            sleeper.join().unwrap();
        }
    });
}
