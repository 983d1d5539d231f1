//! Names, ids, spawn locations, current(), all(), dump(), done-callbacks.

mod support;

use std::sync::{Arc, Mutex};
use support::{paused_runtime, Latch};
use weft::task::{TaskOutcome, TaskState};

#[test]
fn a_named_task_reports_its_name_and_current_sees_it() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = weft::task::Builder::new().name("fetch").spawn(async {
            let me = weft::task::current().expect("inside a task");
            (me.id(), me.name().map(str::to_owned))
        });
        let id = task.id();
        assert_eq!(task.name(), Some("fetch"));
        let (seen_id, seen_name) = task.await.unwrap();
        assert_eq!(seen_id, id);
        assert_eq!(seen_name.as_deref(), Some("fetch"));
        assert!(
            weft::task::current().is_none(),
            "block_on's future is no task"
        );
    });
}

#[test]
fn all_lists_live_tasks_with_state_and_spawn_location_and_drops_finished_ones() {
    let rt = paused_runtime();
    rt.block_on(async {
        let before = line!();
        let idle = weft::task::Builder::new()
            .name("idler")
            .spawn(std::future::pending::<()>());
        let after = line!();
        let done = weft::spawn(async {});
        weft::yield_now().await;
        assert!(done.is_finished());
        let all = weft::task::all();
        let info = all
            .iter()
            .find(|t| t.id() == idle.id())
            .expect("the idle task is listed");
        assert_eq!(info.name(), Some("idler"));
        assert_eq!(info.state(), TaskState::Idle);
        assert!((before..after).contains(&info.spawned_at().line()));
        assert!(info.spawned_at().file().ends_with("task_introspection.rs"));
        assert!(
            all.iter().all(|t| t.id() != done.id()),
            "finished tasks are gone"
        );
    });
}

#[test]
fn dump_lists_the_live_tasks_in_text() {
    let rt = paused_runtime();
    let _idle = rt.handle().spawn(std::future::pending::<()>());
    let _named = weft::task::Builder::new()
        .name("worker-7")
        .spawn_on(std::future::pending::<()>(), rt.handle());
    let dump = rt.dump().to_string();
    assert!(dump.starts_with("2 live tasks"), "{dump}");
    assert!(dump.contains("\"worker-7\""), "{dump}");
    assert!(dump.contains("task_introspection.rs"), "{dump}");
}

#[test]
fn done_callbacks_run_once_in_order_and_can_be_removed() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let gate = Latch::new();
        let task = weft::spawn({
            let gate = gate.clone();
            async move { gate.wait().await }
        });
        let push = |what: &'static str| {
            let seen = seen.clone();
            move |done: &weft::task::TaskDone| {
                assert_eq!(done.outcome(), TaskOutcome::Returned);
                seen.lock().unwrap().push(what)
            }
        };
        task.add_done_callback(push("first"));
        let removed = task.add_done_callback(push("removed"));
        task.add_done_callback(push("second"));
        assert!(task.remove_done_callback(removed));
        gate.open();
        let mut task = task;
        (&mut task).await.unwrap();
        assert_eq!(*seen.lock().unwrap(), ["first", "second"]);
        // Added after the end: runs at once.
        task.add_done_callback(push("late"));
        assert_eq!(*seen.lock().unwrap(), ["first", "second", "late"]);
        assert!(!task.remove_done_callback(removed));
    });
}

#[test]
fn a_done_callback_sees_cancellation_and_a_panicking_one_does_not_stop_the_others() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = Arc::new(Mutex::new(None));
        let task = weft::spawn(std::future::pending::<()>());
        task.add_done_callback(|_| panic!("a callback that panics"));
        task.add_done_callback({
            let seen = seen.clone();
            move |done| *seen.lock().unwrap() = Some(done.outcome())
        });
        task.cancel();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(*seen.lock().unwrap(), Some(TaskOutcome::Cancelled));
    });
}

#[test]
fn blocking_code_has_no_current_task_but_keeps_the_context_variables() {
    static TRACE: weft::task::ContextVar<u32> = weft::task::ContextVar::new("trace");
    let rt = paused_runtime();
    rt.block_on(async {
        TRACE.set(9);
        let seen = weft::to_thread(|| (weft::task::current().map(|t| t.id()), TRACE.get()))
            .await
            .unwrap();
        assert_eq!(seen, (None, Some(9)));
    });
}

#[test]
fn a_task_that_was_awaited_is_no_longer_listed() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        for _ in 0..2_000 {
            let task = weft::spawn(async { weft::yield_now().await });
            let id = task.id();
            task.await.unwrap();
            assert!(
                weft::task::all().iter().all(|info| info.id() != id),
                "task {id} is listed after it was awaited"
            );
        }
    });
}
