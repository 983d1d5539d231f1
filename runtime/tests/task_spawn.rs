//! Spawning: every task runs exactly once, on every flavour and worker count.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

fn runtime(workers: usize) -> weft::Runtime {
    weft::Runtime::builder()
        .worker_threads(workers)
        .build()
        .unwrap()
}

fn every_task_runs_exactly_once(workers: usize) {
    const TASKS: usize = 100_000;
    let rt = runtime(workers);
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..TASKS).map(|_| AtomicUsize::new(0)).collect());
    let results = rt.block_on({
        let runs = runs.clone();
        async move {
            // Spawned from inside a task, so they go through the worker queues and get
            // stolen, as well as from the block_on thread through the injector.
            let inner = weft::spawn({
                let runs = runs.clone();
                async move {
                    let tasks: Vec<_> = (0..TASKS / 2)
                        .map(|i| {
                            let runs = runs.clone();
                            weft::spawn(async move {
                                runs[i].fetch_add(1, SeqCst);
                                i
                            })
                        })
                        .collect();
                    let mut sum = 0;
                    for t in tasks {
                        sum += t.await.unwrap();
                    }
                    sum
                }
            });
            let outer: Vec<_> = (TASKS / 2..TASKS)
                .map(|i| {
                    let runs = runs.clone();
                    weft::spawn(async move {
                        runs[i].fetch_add(1, SeqCst);
                        i
                    })
                })
                .collect();
            let mut sum = inner.await.unwrap();
            for t in outer {
                sum += t.await.unwrap();
            }
            sum
        }
    });
    assert_eq!(results, (0..TASKS).sum::<usize>());
    for (i, r) in runs.iter().enumerate() {
        assert_eq!(r.load(SeqCst), 1, "task {i} ran {} times", r.load(SeqCst));
    }
}

#[test]
fn every_task_runs_exactly_once_on_1_worker() {
    every_task_runs_exactly_once(1);
}

#[test]
fn every_task_runs_exactly_once_on_2_workers() {
    every_task_runs_exactly_once(2);
}

#[test]
fn every_task_runs_exactly_once_on_4_workers() {
    every_task_runs_exactly_once(4);
}

#[test]
fn spawn_from_a_plain_thread_runs_and_joins() {
    let rt = runtime(2);
    let handle = rt.handle().clone();
    let joined = std::thread::spawn(move || {
        let tasks: Vec<_> = (0..100u32)
            .map(|i| handle.spawn(async move { i * 2 }))
            .collect();
        tasks
            .into_iter()
            .map(|t| t.join_blocking().unwrap())
            .sum::<u32>()
    })
    .join()
    .unwrap();
    assert_eq!(joined, (0..100u32).map(|i| i * 2).sum());
}

#[test]
fn dropping_the_handle_detaches_the_task() {
    let rt = runtime(2);
    let (tx, rx) = std::sync::mpsc::channel();
    rt.block_on(async move {
        drop(weft::spawn(async move { tx.send(42).unwrap() }));
    });
    assert_eq!(rx.recv().unwrap(), 42);
}

#[test]
fn task_ids_are_unique() {
    let rt = runtime(1);
    let ids: std::collections::HashSet<_> =
        rt.block_on(async { (0..1000).map(|_| weft::spawn(async {}).id()).collect() });
    assert_eq!(ids.len(), 1000);
}

#[test]
fn is_finished_turns_true_after_completion() {
    let rt = runtime(1);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut task = rt.spawn(async move {
        drop(tx);
        1
    });
    // The sender is dropped inside the task, so this returns once it has run.
    assert!(rx.recv().is_err());
    assert_eq!(rt.block_on(async { (&mut task).await }).unwrap(), 1);
    assert!(task.is_finished());
}

#[test]
fn spawn_outside_a_runtime_panics_with_a_clear_message() {
    let err = std::panic::catch_unwind(|| drop(weft::spawn(async {}))).unwrap_err();
    let msg = err
        .downcast_ref::<&str>()
        .copied()
        .map(str::to_owned)
        .or_else(|| err.downcast_ref::<String>().cloned())
        .unwrap();
    assert!(msg.contains("outside a weft runtime"), "{msg}");
}

#[test]
fn run_builds_runs_and_shuts_down() {
    assert_eq!(
        weft::run(async { weft::spawn(async { 21 }).await.unwrap() * 2 }),
        42
    );
}

#[test]
fn zero_workers_is_an_error_not_a_panic() {
    let err = weft::Runtime::builder()
        .worker_threads(0)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let err = weft::Runtime::builder()
        .max_blocking_threads(0)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
