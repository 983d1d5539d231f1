//! Debug mode (`Builder::debug`): each report it makes, and none without it.

use std::panic::Location;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use weft::task::{Report, TaskInfo};

type Reports = Arc<Mutex<Vec<Report>>>;

fn runtime(debug: bool) -> (weft::Runtime, Reports) {
    let reports = Reports::default();
    let rt = weft::Runtime::builder()
        .current_thread()
        .debug(debug)
        .slow_poll_threshold(Duration::from_millis(20))
        .report_hook({
            let reports = reports.clone();
            move |report: &Report| reports.lock().unwrap().push(report.clone())
        })
        .build()
        .unwrap();
    (rt, reports)
}

fn taken(reports: &Reports) -> Vec<Report> {
    std::mem::take(&mut *reports.lock().unwrap())
}

/// The reports other than slow polls: a panic's first poll can be slow (capturing a
/// backtrace under `RUST_BACKTRACE` takes a while).
fn taken_unless_slow(reports: &Reports) -> Vec<Report> {
    taken(reports)
        .into_iter()
        .filter(|report| !matches!(report, Report::SlowPoll { .. }))
        .collect()
}

/// Spawns a named task; returns it and where it was spawned (the caller's line, as
/// `spawn` records it).
#[track_caller]
fn spawn_named<F>(name: &str, future: F) -> (weft::Task<F::Output>, &'static Location<'static>)
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let task = weft::task::Builder::new().name(name).spawn(future);
    (task, Location::caller())
}

fn assert_is_task(task: &TaskInfo, id: weft::task::TaskId, name: &str, at: &Location<'_>) {
    assert_eq!(task.id(), id);
    assert_eq!(task.name(), Some(name));
    assert_eq!(task.spawned_at(), at);
}

#[test]
fn a_slow_poll_is_reported_with_the_task_and_its_duration() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        let block = async { std::thread::sleep(Duration::from_millis(30)) };
        let (task, line) = spawn_named("blocker", block);
        let id = task.id();
        task.await.unwrap();
        match &taken(&reports)[..] {
            [Report::SlowPoll { task, took }] => {
                assert_is_task(task, id, "blocker", line);
                assert!(*took >= Duration::from_millis(30));
                assert!(task.busy() >= Duration::from_millis(30));
                assert_eq!(task.polls(), 1);
            }
            other => panic!("expected one slow poll, got {other:?}"),
        }
    });
}

#[test]
fn quick_polls_are_not_reported_but_are_counted() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        let go = Arc::new(weft::sync::Event::new());
        let task = weft::spawn({
            let go = go.clone();
            async move { go.wait().await }
        });
        let id = task.id();
        weft::yield_now().await;
        let info = weft::task::all()
            .into_iter()
            .find(|t| t.id() == id)
            .unwrap();
        assert_eq!(info.polls(), 1);
        go.set();
        task.await.unwrap();
    });
    assert!(taken(&reports).is_empty());
}

#[test]
fn a_panic_nobody_awaited_is_reported_when_its_handle_goes() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        let boom = async { panic!("boom") as () };
        let (task, line) = spawn_named("doomed", boom);
        let id = task.id();
        while !task.is_finished() {
            weft::yield_now().await;
        }
        assert!(
            taken_unless_slow(&reports).is_empty(),
            "reported before the handle went"
        );
        drop(task);
        match &taken_unless_slow(&reports)[..] {
            [Report::PanicNeverRetrieved { task, message }] => {
                assert_is_task(task, id, "doomed", line);
                assert_eq!(message, "boom");
            }
            other => panic!("expected one unretrieved panic, got {other:?}"),
        }
    });
}

#[test]
fn a_detached_task_that_panics_is_reported_when_it_ends() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        let done = Arc::new(weft::sync::Event::new());
        let task = weft::spawn({
            let done = done.clone();
            async move {
                done.wait().await;
                panic!("later") as ()
            }
        });
        let id = task.id();
        drop(task);
        done.set();
        weft::yield_now().await;
        weft::yield_now().await;
        match &taken_unless_slow(&reports)[..] {
            [Report::PanicNeverRetrieved { task, message }] => {
                assert_eq!(task.id(), id);
                assert_eq!(message, "later");
            }
            other => panic!("expected one unretrieved panic, got {other:?}"),
        }
    });
}

#[test]
fn a_panic_that_was_awaited_or_caught_by_a_group_is_not_reported() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        let err = weft::spawn(async { panic!("seen") as () })
            .await
            .unwrap_err();
        assert!(err.is_panic());
        let group = weft::task_group(|tg| async move {
            drop(tg.spawn(async { panic!("the group's") as () }));
        })
        .await;
        assert!(group.is_err());
        let cancelled = weft::spawn(std::future::pending::<()>());
        cancelled.cancel();
        drop(cancelled);
        weft::yield_now().await;
    });
    let reports = taken_unless_slow(&reports);
    assert!(reports.is_empty(), "{reports:?}");
}

#[test]
fn tasks_pending_at_shutdown_are_reported() {
    let (rt, reports) = runtime(true);
    let (id, line) = rt.block_on(async {
        let _finished = weft::spawn(async {}).await;
        let pending = std::future::pending::<()>();
        let (stuck, line) = spawn_named("stuck", pending);
        weft::yield_now().await;
        (stuck.id(), line)
    });
    drop(rt);
    match &taken(&reports)[..] {
        [Report::PendingAtShutdown { task }] => assert_is_task(task, id, "stuck", line),
        other => panic!("expected one pending task, got {other:?}"),
    }
}

#[test]
fn pending_tasks_on_the_multi_thread_flavour_are_reported_too() {
    let reports = Reports::default();
    let rt = weft::Runtime::builder()
        .worker_threads(2)
        .debug(true)
        .report_hook({
            let reports = reports.clone();
            move |report: &Report| reports.lock().unwrap().push(report.clone())
        })
        .build()
        .unwrap();
    let ids: Vec<_> = (0..3)
        .map(|_| rt.spawn(std::future::pending::<()>()).id())
        .collect();
    drop(rt);
    let mut reported: Vec<_> = taken(&reports)
        .iter()
        .map(|report| match report {
            Report::PendingAtShutdown { task } => task.id(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    reported.sort();
    assert_eq!(reported, ids);
}

#[test]
fn without_debug_mode_nothing_is_reported_and_no_time_is_counted() {
    let (rt, reports) = runtime(false);
    assert!(!rt.handle().is_debug());
    rt.block_on(async {
        let slow = weft::spawn(async { std::thread::sleep(Duration::from_millis(30)) });
        let id = slow.id();
        weft::yield_now().await;
        let info = weft::task::all().into_iter().find(|t| t.id() == id);
        assert!(info.is_none_or(|t| t.busy() == Duration::ZERO));
        slow.await.unwrap();
        drop(weft::spawn(async { panic!("unseen") as () }));
        weft::yield_now().await;
        let _stuck = weft::spawn(std::future::pending::<()>());
    });
    drop(rt);
    assert!(taken(&reports).is_empty());
}

#[test]
fn reports_read_as_asyncio_debug_messages() {
    let (rt, reports) = runtime(true);
    rt.block_on(async {
        drop(
            weft::task::Builder::new()
                .name("fetch")
                .spawn(async { panic!("no route") as () }),
        );
        weft::yield_now().await;
    });
    let text = taken_unless_slow(&reports)[0].to_string();
    assert!(text.starts_with("task "), "{text}");
    assert!(text.contains("`fetch` (spawned at "), "{text}");
    assert!(
        text.ends_with("panicked and nobody retrieved it: no route"),
        "{text}"
    );
}

#[weft::test(debug = true)]
async fn the_test_attribute_turns_debug_mode_on() {
    assert!(weft::Handle::current().is_debug());
}

#[weft::test(debug = false)]
async fn the_test_attribute_turns_debug_mode_off() {
    assert!(!weft::Handle::current().is_debug());
}
