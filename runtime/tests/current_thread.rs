//! The current-thread flavour: one thread, FIFO order.

use std::sync::{Arc, Mutex};

#[test]
fn tasks_run_in_spawn_order() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    rt.block_on({
        let order = order.clone();
        async move {
            let tasks: Vec<_> = (0..100)
                .map(|i| {
                    let order = order.clone();
                    weft::spawn(async move { order.lock().unwrap().push(i) })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    });
    assert_eq!(*order.lock().unwrap(), (0..100).collect::<Vec<_>>());
}

#[test]
fn every_task_runs_on_the_block_on_thread() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let me = std::thread::current().id();
    let on_me = rt.block_on(async move {
        let tasks: Vec<_> = (0..10)
            .map(|_| weft::spawn(async move { std::thread::current().id() == me }))
            .collect();
        let mut all = true;
        for t in tasks {
            all &= t.await.unwrap();
        }
        all
    });
    assert!(on_me);
}

#[test]
fn spawns_from_another_thread_run_at_the_next_block_on() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let handle = rt.handle().clone();
    let task = std::thread::spawn(move || handle.spawn(async { 3 }))
        .join()
        .unwrap();
    assert_eq!(rt.block_on(task).unwrap(), 3);
}

#[test]
fn two_threads_in_block_on_share_the_runtime() {
    let rt = Arc::new(weft::Runtime::builder().current_thread().build().unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<weft::Task<u32>>();
    let rt2 = rt.clone();
    let other = std::thread::spawn(move || {
        // Waits for a task the first thread spawned; whichever thread drives runs it.
        let task = rx.recv().unwrap();
        rt2.block_on(task).unwrap()
    });
    let out = rt.block_on(async move {
        tx.send(weft::spawn(async { 7 })).unwrap();
        weft::yield_now().await;
        1
    });
    assert_eq!(out, 1);
    assert_eq!(other.join().unwrap(), 7);
}
