//! Loop-style callbacks and the runtime's clock.

mod support;

use std::sync::mpsc;
use std::time::Duration;
use support::paused_runtime;
use weft::time::Instant;

#[test]
fn call_soon_runs_after_the_tasks_already_queued_and_from_another_thread() {
    let rt = paused_runtime();
    let (tx, rx) = mpsc::channel();
    let handle = rt.handle().clone();
    let tx2 = tx.clone();
    std::thread::spawn(move || handle.call_soon(move || tx2.send("from a thread").unwrap()))
        .join()
        .unwrap();
    rt.block_on(async move {
        let t = tx.clone();
        drop(weft::spawn(async move { t.send("task").unwrap() }));
        weft::Handle::current().call_soon(move || tx.send("call_soon").unwrap());
        weft::yield_now().await;
        weft::yield_now().await;
    });
    let got: Vec<_> = rx.try_iter().collect();
    assert_eq!(got, ["from a thread", "task", "call_soon"]);
}

#[test]
fn call_later_and_call_at_run_on_the_runtime_clock_and_cancel_stops_them() {
    let rt = paused_runtime();
    let (tx, rx) = mpsc::channel();
    rt.block_on(async move {
        let handle = weft::Handle::current();
        let start = handle.time();
        let t = tx.clone();
        let later = handle.call_later(Duration::from_secs(30), move || {
            t.send(Instant::now()).unwrap()
        });
        assert_eq!(later.when(), Some(start + Duration::from_secs(30)));
        let t = tx.clone();
        let at = handle.call_at(start + Duration::from_secs(10), move || {
            t.send(Instant::now()).unwrap()
        });
        let cancelled = handle.call_later(Duration::from_secs(20), move || {
            tx.send(Instant::now()).unwrap()
        });
        assert!(cancelled.cancel());
        weft::time::sleep(Duration::from_secs(60)).await;
        assert!(later.is_finished() && at.is_finished());
        assert!(cancelled.is_cancelled());
        let times: Vec<_> = rx.try_iter().map(|t| t - start).collect();
        assert_eq!(times, [Duration::from_secs(10), Duration::from_secs(30)]);
    });
}

#[test]
fn call_soon_from_a_worker_runs_behind_the_tasks_it_queued_before() {
    // This ran the callback first, from the worker's LIFO slot, before it queued
    // behind the work already waiting.
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let (tx, rx) = mpsc::channel();
    rt.block_on(rt.spawn(async move {
        let t = tx.clone();
        drop(weft::spawn(
            async move { t.send("task spawned first").unwrap() },
        ));
        weft::Handle::current().call_soon(move || tx.send("call_soon").unwrap());
    }))
    .unwrap();
    let got = [rx.recv().unwrap(), rx.recv().unwrap()];
    assert_eq!(got, ["task spawned first", "call_soon"]);
}
