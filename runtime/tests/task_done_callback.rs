//! Done-callbacks are never lost: added before, during or after completion, on a task
//! with or without a name, each runs exactly once; a panicking one is reported.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use weft::runtime::Report;
use weft::task::TaskOutcome;

#[test]
fn a_callback_added_after_the_task_finished_runs_at_once() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        // No name, no context variable: the task has no side block when it completes.
        let task = weft::spawn(async { 7 });
        while !task.is_finished() {
            weft::yield_now().await;
        }
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = ran.clone();
        task.add_done_callback(move |done| {
            assert_eq!(done.outcome(), TaskOutcome::Returned);
            counter.fetch_add(1, SeqCst);
        });
        assert_eq!(ran.load(SeqCst), 1, "the callback did not run at once");
        assert_eq!(task.await.unwrap(), 7);
        assert_eq!(ran.load(SeqCst), 1);
    });
}

#[test]
fn callbacks_added_while_tasks_complete_on_other_workers_all_run_once() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    const TASKS: usize = 20_000;
    let ran = Arc::new(AtomicUsize::new(0));
    rt.block_on({
        let ran = ran.clone();
        async move {
            for _ in 0..TASKS {
                let task = weft::spawn(async { weft::yield_now().await });
                let counter = ran.clone();
                task.add_done_callback(move |_| {
                    counter.fetch_add(1, SeqCst);
                });
                task.await.unwrap();
            }
        }
    });
    assert_eq!(ran.load(SeqCst), TASKS, "done-callbacks were lost");
}

#[test]
fn a_callback_that_panics_is_reported_and_the_others_still_run() {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let rt = weft::Runtime::builder()
        .current_thread()
        .report_hook({
            let reports = reports.clone();
            move |report: &Report| reports.lock().unwrap().push(report.clone())
        })
        .build()
        .unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    rt.block_on({
        let ran = ran.clone();
        async move {
            let task = weft::task::Builder::new()
                .name("worker")
                .spawn(async { weft::yield_now().await });
            task.add_done_callback(|_| panic!("callback one"));
            let counter = ran.clone();
            task.add_done_callback(move |_| {
                counter.fetch_add(1, SeqCst);
            });
            let id = task.id();
            task.await.unwrap();
            // Added after completion: runs at once, and its panic is reported too.
            let finished = weft::spawn(async {});
            finished.add_done_callback(|_| panic!("callback two"));
            let _ = finished.await;
            id
        }
    });
    assert_eq!(ran.load(SeqCst), 1);
    let reports = reports.lock().unwrap();
    assert_eq!(reports.len(), 2, "{reports:?}");
    match &reports[0] {
        Report::DoneCallbackPanicked { name, message, .. } => {
            assert_eq!(name.as_deref(), Some("worker"));
            assert_eq!(message, "callback one");
        }
        other => panic!("unexpected report {other:?}"),
    }
    assert!(
        reports[1].to_string().contains("callback two"),
        "{}",
        reports[1]
    );
}
