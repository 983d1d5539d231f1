//! `Task::cancel`: the future is dropped at the next poll and the task reports it.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use support::DropCounter;

fn runtimes() -> [weft::Runtime; 2] {
    [
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ]
}

#[test]
fn cancel_drops_the_future_once_and_reports_cancelled() {
    for (flavour, rt) in runtimes().into_iter().enumerate() {
        let drops = Arc::new(AtomicUsize::new(0));
        let guard = DropCounter(drops.clone());
        let task = rt.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        });
        assert!(task.cancel());
        let second = task.cancel();
        // On the current-thread flavour nothing runs before `block_on`, so the task is
        // still pending; on two workers one may already have delivered the first
        // request, and `false` is then the right answer.
        if flavour == 1 {
            assert!(second, "a second cancel before the end still reports true");
        }
        let err = rt.block_on(task).unwrap_err();
        assert!(err.is_cancelled());
        assert!(!err.is_panic());
        assert_eq!(drops.load(SeqCst), 1);
    }
}

#[test]
fn cancel_after_completion_returns_false_and_keeps_the_output() {
    // Current-thread order is deterministic: the block_on future yields once, the
    // queued task runs to completion, then block_on returns.
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let mut task = rt.spawn(async { 9 });
    rt.block_on(weft::yield_now());
    assert!(task.is_finished());
    assert!(!task.cancel());
    assert_eq!(rt.block_on(async { (&mut task).await }).unwrap(), 9);
}

#[test]
fn a_task_can_cancel_a_sibling() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let sibling = rt.spawn(std::future::pending::<()>());
    let canceller = rt.spawn(async move {
        assert!(sibling.cancel());
        sibling.await
    });
    assert!(canceller
        .join_blocking()
        .unwrap()
        .unwrap_err()
        .is_cancelled());
}

#[test]
fn cancelling_a_queued_task_never_runs_its_body() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let task = rt.spawn({
        let ran = ran.clone();
        async move {
            ran.fetch_add(1, SeqCst);
        }
    });
    task.cancel();
    assert!(rt.block_on(task).unwrap_err().is_cancelled());
    assert_eq!(ran.load(SeqCst), 0);
}
