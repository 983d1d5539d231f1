//! loom: the workers' park protocol — work pushed while the last worker parks is
//! always run (a lost wakeup leaves a worker asleep with work queued: a deadlock loom
//! reports).
#![cfg(weft_loom)]

use loom::thread;
use std::sync::Arc;
use weft::__loom::park::ParkModel;

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
