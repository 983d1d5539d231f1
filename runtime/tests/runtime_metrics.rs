//! `Handle::metrics`: the counters move as the scheduler works.

#[test]
fn polls_are_counted_per_worker() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let before = rt.handle().metrics().total().polls;
    rt.block_on(async {
        let tasks: Vec<_> = (0..100).map(|_| weft::spawn(async {})).collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
    let m = rt.handle().metrics();
    assert_eq!(m.num_workers(), 2);
    assert!(m.total().polls >= before + 100);
    assert!(m.worker(2).is_none());
    assert!(m.to_string().contains("worker 1"));
}

#[test]
fn injector_pops_count_work_from_outside() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    rt.spawn(async {}).join_blocking().unwrap();
    assert!(rt.handle().metrics().total().injector_pops >= 1);
}

#[test]
fn lifo_hits_count_message_passing_between_tasks() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    rt.block_on(rt.spawn(async {
        // A task spawned from a worker goes to its LIFO slot.
        for _ in 0..10 {
            weft::spawn(async {}).await.unwrap();
        }
    }))
    .unwrap();
    assert!(rt.handle().metrics().total().lifo_hits >= 10);
}

#[test]
fn live_tasks_counts_spawned_unfinished_tasks() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let pending: Vec<_> = (0..5)
        .map(|_| rt.spawn(std::future::pending::<()>()))
        .collect();
    assert_eq!(rt.handle().metrics().live_tasks(), 5);
    for t in &pending {
        t.cancel();
    }
    for t in pending {
        assert!(rt.block_on(t).unwrap_err().is_cancelled());
    }
    assert_eq!(rt.handle().metrics().live_tasks(), 0);
}
