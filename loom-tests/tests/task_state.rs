//! loom: the task state word under wake vs poll vs cancel vs `Task` drop — polled by
//! one thread at a time, output taken once, future and output dropped once, the task
//! freed once (a task never freed leaks the loom `Arc` its future holds).
#![cfg(weft_loom)]

mod task_probe;

use loom::future::block_on;
use loom::thread;
use task_probe::{cancel_racing_a_wake, gated, Gate, Watch};
use weft::__loom::task::ModelScheduler;

#[test]
fn a_wake_racing_the_poll_and_the_handle_drop_completes_once() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = scheduler.spawn(gated(&gate, &watch));
        // The first poll races the wake: a wake that lands mid-poll must re-queue.
        let runner = thread::spawn({
            let scheduler = scheduler.clone();
            move || {
                scheduler.run_queued();
            }
        });
        let waker = thread::spawn({
            let gate = gate.clone();
            move || gate.open()
        });
        drop(task);
        waker.join().unwrap();
        runner.join().unwrap();
        scheduler.run_queued(); // whatever the wake queued after the runner looked
        assert_eq!(watch.future_drops(), 1);
        assert_eq!(
            watch.output_drops(),
            1,
            "the wake was lost, or the output dropped twice"
        );
    });
}

#[test]
fn cancel_racing_completion_ends_one_way_or_the_other_and_drops_once() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = scheduler.spawn(gated(&gate, &watch));
        scheduler.run_queued();
        let completer = thread::spawn({
            let (gate, scheduler) = (gate.clone(), scheduler.clone());
            move || {
                gate.open();
                scheduler.run_queued();
            }
        });
        let cancelled = task.cancel();
        completer.join().unwrap();
        scheduler.run_queued();
        assert!(task.is_finished());
        match block_on(task) {
            Ok(output) => drop(output),
            Err(err) => {
                assert!(cancelled && err.is_cancelled(), "{err}");
            }
        }
        assert_eq!(watch.future_drops(), 1);
        assert!(watch.output_drops() <= 1);
    });
}

#[test]
fn cancel_racing_a_wake_ends_the_task_cancelled_with_no_region() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = scheduler.spawn(gated(&gate, &watch));
        scheduler.run_queued();
        cancel_racing_a_wake(&scheduler, &gate, &task);
        assert!(block_on(task).unwrap_err().is_cancelled());
        assert_eq!(watch.future_drops(), 1);
        assert_eq!(watch.output_drops(), 0);
    });
}

#[test]
fn cancel_racing_a_wake_is_caught_once_by_a_region() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let inner = gated(&gate, &watch);
        let task = scheduler.spawn(async move {
            match weft::task::cancellable(inner).await {
                Ok(output) => {
                    drop(output);
                    "completed"
                }
                Err(_cancelled) => "caught",
            }
        });
        scheduler.run_queued(); // the region registers; the gate is pending
        cancel_racing_a_wake(&scheduler, &gate, &task);
        assert!(task.is_finished(), "the request was lost");
        assert_eq!(block_on(task).unwrap(), "caught");
        assert_eq!(watch.future_drops(), 1);
    });
}

#[test]
fn a_handle_awaiting_races_completion_and_is_woken() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = scheduler.spawn(gated(&gate, &watch));
        let runner = thread::spawn({
            let (gate, scheduler) = (gate.clone(), scheduler.clone());
            move || {
                scheduler.run_queued();
                gate.open();
                scheduler.run_queued();
            }
        });
        // block_on parks until the join waker wakes it: a lost join wake deadlocks.
        let output = block_on(task).unwrap();
        drop(output);
        runner.join().unwrap();
        assert_eq!(watch.output_drops(), 1);
        assert_eq!(watch.future_drops(), 1);
    });
}
