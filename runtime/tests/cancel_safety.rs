//! Every cancel-safety claim of weft's own futures, checked at every drop point
//! (before the first poll, right after each `Pending`, at the wake after each
//! `Pending`): awaiting a `Task` or a `Shield` by reference, `sleep_until`,
//! `timeout_at`, `Interval::tick`, `as_completed`'s `next_completed`, `yield_now` and
//! `Server::wait_closed` lose nothing; `sleep` and `wait` lose what their docs say.
//!
//! Each run is a fresh current-thread runtime with a paused clock (deterministic, as
//! the harness needs), inside a timeout, so a lost wake-up fails instead of hanging.

mod support;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;
use weft::time::{interval, sleep, sleep_until, timeout_at, Instant};
use weft_cancel_points::{every_drop_point, At, DropPoint};

const MS: Duration = Duration::from_millis(1);

/// Runs `scenario` at every drop point on a fresh paused runtime; a wait that never
/// ends fails, and so does an operation that never waited (nothing proved).
fn at_every_drop_point<F: Future<Output = ()>>(scenario: impl Fn(DropPoint) -> F) {
    let pendings = every_drop_point(|point| {
        support::paused_runtime().block_on(async {
            let within = weft::time::timeout(Duration::from_secs(3600), scenario(point.clone()));
            assert!(
                within.await.is_ok(),
                "{point}: a wait never ended (a lost wake-up)"
            );
        });
    });
    assert!(
        pendings >= 1,
        "the operation never waited: the test proves nothing"
    );
}

/// A task that finishes after `ms` milliseconds with `ms`.
fn after(ms: u64) -> weft::Task<u64> {
    weft::spawn(async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    })
}

#[test]
fn awaiting_a_task_by_reference_dropped_at_any_point_loses_nothing() {
    at_every_drop_point(|point| async move {
        let mut task = after(10);
        let output = match point.run(&mut task).await {
            Some(output) => output,
            None => {
                assert!(
                    !task.is_cancelled(),
                    "{point}: dropping the await cancels nothing"
                );
                task.await
            }
        };
        assert_eq!(output.unwrap(), 10, "{point}");
    });
}

#[test]
fn awaiting_a_shield_by_reference_dropped_at_any_point_loses_nothing() {
    at_every_drop_point(|point| async move {
        let mut work = weft::shield(async {
            sleep(10 * MS).await;
            "saved"
        });
        let output = match point.run(&mut work).await {
            Some(output) => output,
            None => work.await,
        };
        assert_eq!(output.unwrap(), "saved", "{point}");
    });
}

#[test]
fn sleep_until_dropped_at_any_point_is_remade_with_the_same_deadline() {
    at_every_drop_point(|point| async move {
        let deadline = Instant::now() + 10 * MS;
        if point.run(sleep_until(deadline)).await.is_none() {
            sleep_until(deadline).await;
        }
        assert_eq!(
            Instant::now(),
            deadline,
            "{point}: it ends at the deadline, not later"
        );
    });
}

#[test]
fn timeout_at_dropped_at_any_point_keeps_its_deadline_and_its_inner_future_safe() {
    at_every_drop_point(|point| async move {
        let mut task = after(20);
        let deadline = Instant::now() + 10 * MS;
        let first = point.run(timeout_at(Some(deadline), &mut task)).await;
        let timed = match first {
            Some(timed) => timed,
            None => timeout_at(Some(deadline), &mut task).await,
        };
        assert!(timed.is_err(), "{point}");
        assert_eq!(
            Instant::now(),
            deadline,
            "{point}: it expired at its deadline"
        );
        assert_eq!(task.await.unwrap(), 20, "{point}: the task was not lost");
    });
}

#[test]
fn interval_tick_dropped_at_any_point_loses_no_tick() {
    at_every_drop_point(|point| async move {
        let start = Instant::now();
        let mut ticks = interval(10 * MS);
        assert_eq!(ticks.tick().await, start, "the first tick is at once");
        let mut due = Vec::new();
        due.extend(point.run(ticks.tick()).await);
        while due.len() < 3 {
            due.push(ticks.tick().await);
        }
        let expected: Vec<Instant> = (1..=3).map(|i| start + i * 10 * MS).collect();
        assert_eq!(due, expected, "{point}: no tick lost or skipped");
    });
}

#[test]
fn as_completed_next_dropped_at_any_point_loses_no_result() {
    at_every_drop_point(|point| async move {
        let mut results = weft::as_completed([after(30), after(10), after(20)]);
        let mut order = Vec::new();
        if let Some(first) = point.run(results.next_completed()).await {
            order.push(first.expect("three results").unwrap());
        }
        while let Some(result) = results.next_completed().await {
            order.push(result.unwrap());
        }
        assert_eq!(
            order,
            [10, 20, 30],
            "{point}: every result, once, in finish order"
        );
    });
}

#[test]
fn as_completed_within_a_timeout_next_dropped_at_any_point_loses_no_result() {
    at_every_drop_point(|point| async move {
        let mut results = weft::as_completed([after(30), after(10), after(20)]).timeout(25 * MS);
        let mut seen = Vec::new();
        if let Some(first) = point.run(results.next_completed()).await {
            seen.push(first.expect("a result or the timeout").map(Result::unwrap));
        }
        while let Some(next) = results.next_completed().await {
            seen.push(next.map(Result::unwrap));
        }
        assert_eq!(seen.len(), 3, "{point}: {seen:?}");
        assert_eq!(seen[..2], [Ok(10), Ok(20)], "{point}");
        assert!(seen[2].is_err(), "{point}: then the timeout, once");
        let left = results.into_remaining();
        assert_eq!(left.len(), 1, "{point}: the unfinished task is handed back");
    });
}

#[test]
fn yield_now_dropped_at_any_point_only_skips_the_yield() {
    at_every_drop_point(|point| async move {
        let _: Option<()> = point.run(weft::yield_now()).await;
    });
}

#[test]
fn server_wait_closed_dropped_at_any_point_is_remade_and_still_returns() {
    at_every_drop_point(|point| async move {
        let server = weft::net::start_server("127.0.0.1:0", |_reader, _writer| async { Ok(()) })
            .await
            .unwrap();
        let (first, ()) = weft::join!(point.run(server.wait_closed()), async {
            weft::yield_now().await;
            server.close();
        });
        if first.is_none() {
            server.wait_closed().await;
        }
        assert!(!server.is_serving(), "{point}");
    });
}

#[test]
fn sleep_remade_after_a_drop_waits_its_whole_duration_again_as_documented() {
    support::paused_runtime().block_on(async {
        let start = Instant::now();
        // The 10 ms sleep loses to the 5 ms one and is dropped...
        weft::select! {
            () = sleep(10 * MS) => unreachable!("the 5 ms branch wins"),
            () = sleep(5 * MS) => {}
        }
        // ...and a new `sleep(10 ms)` counts from now: the deadline moved.
        sleep(10 * MS).await;
        assert_eq!(Instant::now(), start + 15 * MS, "not start + 10 ms");
    });
}

#[test]
fn wait_dropped_while_waiting_detaches_the_tasks_as_documented() {
    support::paused_runtime().block_on(async {
        let finished = Arc::new(AtomicUsize::new(0));
        let tasks = (0..2).map(|_| {
            let finished = finished.clone();
            weft::spawn(async move {
                sleep(10 * MS).await;
                finished.fetch_add(1, SeqCst);
            })
        });
        let waiting = weft::wait(tasks, weft::ReturnWhen::AllCompleted);
        let point = DropPoint::new(1, At::Pending);
        assert!(point.run(waiting).await.is_none());
        // The handles are gone with the future, the tasks not: they still finish, and
        // nothing can get their results.
        sleep(20 * MS).await;
        assert_eq!(finished.load(SeqCst), 2);
    });
}
