//! loom: shutdown of the task layer — the owned list closing while a task is spawned
//! into it (`task/list.rs`, rules 1 and 4), and a task's `shutdown` (`harness.rs`)
//! racing its poll, its wake and its completion (`task/state.rs`, rules 6-7).
//!
//! The model scheduler keeps its tasks in a real owned list, so a completion that
//! comes first takes the list's reference out with its own (the two-reference path of
//! `harness.rs`'s `complete`), and a shutdown that comes first leaves the completion
//! only its own. Every order ends the same way: the future dropped once, the output
//! (or the cancellation) read once, the list empty, and the task freed — a task holds
//! its scheduler, so once every handle is gone only the model holds it.
#![cfg(weft_loom)]

mod task_probe;

use loom::future::block_on;
use loom::thread;
use std::sync::Arc;
use task_probe::{gated, Gate, Watch};
use weft::__loom::task::ModelScheduler;

/// The ends every model here checks, once its threads are joined: `task` and `gate`
/// (which keeps the task's last waker) are the last holders of the task; it ran to its
/// output or was shut down, and nothing of it is left.
fn ends_once(
    scheduler: &Arc<ModelScheduler>,
    (gate, watch): (Arc<Gate>, Arc<Watch>),
    task: weft::Task<task_probe::Counted>,
) {
    drop(gate);
    match block_on(task) {
        Ok(output) => drop(output),
        Err(err) => assert!(err.is_cancelled(), "{err}"),
    }
    assert_eq!(
        watch.future_drops(),
        1,
        "the future was not dropped exactly once"
    );
    assert!(watch.output_drops() <= 1, "the output was dropped twice");
    assert_eq!(
        scheduler.live_tasks(),
        0,
        "the owned list still holds the task"
    );
    assert_eq!(Arc::strong_count(scheduler), 1, "the task was never freed");
}

/// A spawn (bind into the owned list, then queue) and a run on one thread race the
/// list's closing on another: bound first, the task is shut down through the list
/// (or completed by the run); bound after, `bind` shuts it down itself.
#[test]
fn a_spawn_racing_close_is_shut_down_or_run_once() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        gate.open();
        let spawner = thread::spawn({
            let (scheduler, gate, watch) = (scheduler.clone(), gate.clone(), watch.clone());
            move || {
                let task = scheduler.spawn(gated(&gate, &watch));
                scheduler.run_queued();
                task
            }
        });
        scheduler.shutdown();
        let task = spawner.join().unwrap();
        ends_once(&scheduler, (gate, watch), task);
    });
}

/// A task waiting on its gate is woken on one thread (the gate opens), polled on a
/// second (it completes, if the wake came first), and shut down on a third: shutdown
/// finds it idle (and drops its future), queued (and drops it; the queued reference
/// then finds it complete), running (and leaves it to its poller, who sees ABORTED),
/// or complete and out of the list.
#[test]
fn shutdown_racing_a_wake_a_poll_and_completion_ends_the_task_once() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = scheduler.spawn(gated(&gate, &watch));
        scheduler.run_queued();
        let waker = thread::spawn({
            let gate = gate.clone();
            move || gate.open()
        });
        let runner = thread::spawn({
            let scheduler = scheduler.clone();
            move || {
                scheduler.run_queued();
            }
        });
        scheduler.shutdown();
        waker.join().unwrap();
        runner.join().unwrap();
        ends_once(&scheduler, (gate, watch), task);
    });
}
