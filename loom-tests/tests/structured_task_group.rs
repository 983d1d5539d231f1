//! loom: task groups nested in a group's body, on the model scheduler (no runtime
//! handle: a group with no children needs none) — a cancel request arriving while
//! the nested groups wind down ends the task one way or the other, never hangs, and
//! drops the innermost future once.
#![cfg(weft_loom)]

mod task_probe;

use loom::future::block_on;
use loom::thread;
use std::sync::Arc;
use task_probe::{cancel_racing_a_wake, gated, Counted, Gate, Gated, Watch};
use weft::__loom::task::ModelScheduler;
use weft::structured::GroupError;

/// A task running `inner` as the body of a group nested in a group's body.
fn spawn_nested_groups(
    scheduler: &Arc<ModelScheduler>,
    inner: Gated,
) -> weft::Task<Result<Result<Counted, GroupError>, GroupError>> {
    scheduler.spawn(async move {
        weft::task_group(|_outer| async move { weft::task_group(|_inner| inner).await }).await
    })
}

#[test]
fn a_request_arriving_while_nested_groups_wind_down_ends_the_task_once() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = spawn_nested_groups(&scheduler, gated(&gate, &watch));
        // Both groups register; the innermost body waits.
        scheduler.run_queued();
        // The innermost body finishes and the groups wind down, while a cancel of the
        // task arrives.
        let winder = thread::spawn({
            let (gate, scheduler) = (gate.clone(), scheduler.clone());
            move || {
                gate.open();
                scheduler.run_queued();
            }
        });
        let cancelled = task.cancel();
        winder.join().unwrap();
        scheduler.run_queued();
        assert!(task.is_finished(), "the nested groups hung");
        match block_on(task) {
            Ok(outcome) => drop(outcome.unwrap().unwrap()),
            Err(err) => assert!(cancelled && err.is_cancelled(), "{err}"),
        }
        assert_eq!(watch.future_drops(), 1);
        assert!(watch.output_drops() <= 1);
    });
}

#[test]
fn a_request_on_nested_groups_that_never_finish_ends_the_task_cancelled() {
    loom::model(|| {
        let scheduler = ModelScheduler::new();
        let (gate, watch) = (Gate::new(), Watch::new());
        let task = spawn_nested_groups(&scheduler, gated(&gate, &watch));
        scheduler.run_queued();
        // A spurious wake races the cancel; the gate never opens.
        cancel_racing_a_wake(&scheduler, &gate, &task);
        assert!(task.is_finished(), "the nested groups hung");
        assert!(block_on(task).unwrap_err().is_cancelled());
        assert_eq!(watch.future_drops(), 1);
        assert_eq!(watch.output_drops(), 0);
    });
}
