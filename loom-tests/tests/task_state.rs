//! loom: the task state word under wake vs poll vs cancel vs `Task` drop — polled by
//! one thread at a time, output taken once, future and output dropped once, the task
//! freed once (a task never freed leaks the loom `Arc` its future holds; `task/state.rs`,
//! rules 1-4, 6-7). Also the join-waker hand-off when the handle replaces its waker
//! while the task completes (rule 5; `harness.rs`'s `can_read_output`), and a
//! done-callback added while the task completes (rule 8; `done.rs`, rules 1-2).
#![cfg(weft_loom)]

mod sync_probe;
mod task_probe;

use loom::future::block_on;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use sync_probe::Probe;
use task_probe::{cancel_racing_a_wake, gated, Gate, Watch};
use weft::__loom::task::ModelScheduler;
use weft::task::TaskOutcome;

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

/// The handle, polled once with one waker, is polled again with another while the task
/// completes on another thread. Either the second poll takes the output, or it
/// replaced the waker before completion and the completer wakes the new one (never the
/// old, never none). No waker is kept past the end: each probe's count is back to one.
#[test]
fn a_join_waker_replaced_while_the_task_completes_is_woken_or_sees_the_output() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let mut task = scheduler.spawn(gated(&gate, &watch));
        scheduler.run_queued();
        let (first, second) = (Probe::new(), Probe::new());
        assert!(first.poll(Pin::new(&mut task)).is_pending());
        let completer = thread::spawn({
            let (gate, scheduler) = (gate.clone(), scheduler.clone());
            move || {
                gate.open();
                scheduler.run_queued();
            }
        });
        let polled = second.poll(Pin::new(&mut task));
        completer.join().unwrap();
        let output = match polled {
            Poll::Ready(output) => output,
            Poll::Pending => {
                assert_eq!(second.wakes(), 1, "the new join waker was not woken");
                assert_eq!(first.wakes(), 0, "the replaced waker was woken");
                match second.poll(Pin::new(&mut task)) {
                    Poll::Ready(output) => output,
                    Poll::Pending => panic!("woken, complete, and still pending"),
                }
            }
        };
        drop(output.unwrap());
        drop(task);
        assert_eq!(watch.output_drops(), 1);
        assert_eq!(Arc::strong_count(&first), 1, "the first waker was kept");
        assert_eq!(Arc::strong_count(&second), 1, "the second waker was kept");
        assert_eq!(scheduler.live_tasks(), 0);
    });
}

/// A done-callback added on one thread while the task completes on another runs
/// exactly once: by the completer if it saw the registration, else by the adder,
/// which then sees COMPLETE (`task/state.rs`, rule 8). The task has no side block
/// until the callback creates it, so the completer may find none.
#[test]
fn done_callback_racing_completion() {
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
        let calls = Arc::new(AtomicUsize::new(0));
        task.add_done_callback({
            let calls = calls.clone();
            move |done| {
                assert_eq!(done.outcome(), TaskOutcome::Returned);
                calls.fetch_add(1, SeqCst);
            }
        });
        completer.join().unwrap();
        assert!(task.is_finished());
        assert_eq!(
            calls.load(SeqCst),
            1,
            "the callback ran {} times",
            calls.load(SeqCst)
        );
        drop(block_on(task).unwrap());
        assert_eq!(watch.output_drops(), 1);
    });
}
