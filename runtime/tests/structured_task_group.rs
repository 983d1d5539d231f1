//! TaskGroup: failures abort the rest, outer cancels come out as cancels, groups nest
//! and compose with timeouts.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{paused_runtime, spawn_started};
use weft::task::cancellable;
use weft::time::{sleep, timeout, Instant};

#[derive(Debug)]
struct Boom(&'static str);

impl std::fmt::Display for Boom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "boom: {}", self.0)
    }
}

impl std::error::Error for Boom {}

type Log = Arc<Mutex<Vec<&'static str>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn note(log: &Log, what: &'static str) {
    log.lock().unwrap().push(what);
}

/// A child that panics (its output type is `()`).
async fn panics(message: &'static str) {
    panic!("{message}")
}

#[test]
fn a_failing_child_aborts_the_sibling_and_the_body_and_is_the_only_failure() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = log();
        let start = Instant::now();
        let result = weft::task_group(|tg| {
            let seen = seen.clone();
            async move {
                tg.spawn(async {
                    sleep(Duration::from_millis(10)).await;
                    Err::<(), _>(Boom("at 10 ms"))
                });
                let sibling_seen = seen.clone();
                tg.spawn(async move {
                    if cancellable(sleep(Duration::from_secs(5))).await.is_err() {
                        note(&sibling_seen, "sibling cancelled");
                    }
                });
                if cancellable(sleep(Duration::from_secs(10))).await.is_err() {
                    note(&seen, "body cancelled");
                }
            }
        })
        .await;
        assert_eq!(start.elapsed(), Duration::from_millis(10));
        let err = result.unwrap_err();
        assert_eq!(err.failures().len(), 1, "{err}");
        let failure = &err.failures()[0];
        assert!(failure.error().unwrap().downcast_ref::<Boom>().is_some());
        let mut seen = seen.lock().unwrap().clone();
        seen.sort();
        assert_eq!(seen, ["body cancelled", "sibling cancelled"]);
    });
}

#[test]
fn the_group_returns_the_body_value_only_after_every_child_finished() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let (value, children) = weft::task_group(|tg| async move {
            let slow = tg.spawn(async {
                sleep(Duration::from_secs(3)).await;
                Ok::<_, Boom>(3)
            });
            let quick = tg.spawn(async { Ok::<_, Boom>(1) });
            ("body", (slow, quick))
        })
        .await
        .unwrap();
        assert_eq!(value, "body");
        assert_eq!(start.elapsed(), Duration::from_secs(3));
        let (slow, quick) = children;
        assert!(slow.is_finished() && quick.is_finished());
        assert_eq!(slow.await.unwrap() + quick.await.unwrap(), 4);
    });
}

#[test]
fn every_failure_is_listed_in_order_a_panic_counts_and_cancellations_do_not() {
    let rt = paused_runtime();
    rt.block_on(async {
        let err = weft::task_group(|tg| async move {
            tg.spawn(async {
                sleep(Duration::from_millis(1)).await;
                Err::<(), _>(Boom("first"))
            });
            // Catches the abort, then fails in its cleanup: a second failure.
            tg.spawn(async {
                let _ = cancellable(sleep(Duration::from_secs(60))).await;
                panics("second, in cleanup").await;
            });
            // Simply cancelled: not a failure.
            tg.spawn(async { sleep(Duration::from_secs(60)).await });
        })
        .await
        .unwrap_err();
        assert_eq!(err.failures().len(), 2, "{err}");
        assert!(!err.failures()[0].is_panic());
        assert!(err.failures()[1].is_panic());
        let text = err.to_string();
        assert!(
            text.contains("first") && text.contains("second, in cleanup"),
            "{text}"
        );
    });
}

#[test]
fn a_failed_childs_own_task_reports_the_same_error() {
    let rt = paused_runtime();
    rt.block_on(async {
        let handle = Arc::new(Mutex::new(None));
        let err = weft::task_group(|tg| {
            let handle = handle.clone();
            async move {
                *handle.lock().unwrap() = Some(tg.spawn(async { Err::<u8, _>(Boom("shared")) }));
            }
        })
        .await
        .unwrap_err();
        let child = handle.lock().unwrap().take().unwrap();
        let task_err = child.await.unwrap_err();
        assert!(task_err.is_failed());
        assert_eq!(task_err.failure().unwrap().to_string(), "boom: shared");
        assert_eq!(err.failures()[0].task_id(), task_err.id());
    });
}

#[test]
fn nested_groups_nest_their_errors() {
    let rt = paused_runtime();
    rt.block_on(async {
        let err = weft::task_group(|outer| async move {
            outer.spawn(weft::task_group(|inner| async move {
                inner.spawn(async { Err::<(), _>(Boom("deep")) });
            }));
        })
        .await
        .unwrap_err();
        assert_eq!(err.failures().len(), 1);
        let nested = err.failures()[0]
            .error()
            .unwrap()
            .downcast_ref::<weft::GroupError>()
            .expect("the inner group's error");
        assert_eq!(
            nested.failures()[0].error().unwrap().to_string(),
            "boom: deep"
        );
    });
}

#[test]
fn a_cancel_of_the_enclosing_task_cancels_the_children_and_comes_out_as_cancellation() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = log();
        let task = spawn_started({
            let seen = seen.clone();
            |started| async move {
                let _ = weft::task_group(|tg| async move {
                    let child_seen = seen.clone();
                    tg.spawn(async move {
                        if cancellable(sleep(Duration::from_secs(3600))).await.is_err() {
                            // Cleanup that awaits: the group waits for it.
                            sleep(Duration::from_millis(5)).await;
                            note(&child_seen, "child cleaned up");
                        }
                    });
                    started.open();
                    sleep(Duration::from_secs(3600)).await;
                })
                .await;
                unreachable!("the group never returns when its task is cancelled");
            }
        })
        .await;
        task.cancel();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(*seen.lock().unwrap(), ["child cleaned up"]);
    });
}

#[test]
fn a_region_around_the_group_catches_the_enclosing_cancel_after_the_children_end() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = spawn_started(|started| async move {
            let outcome = cancellable(weft::task_group(|tg| async move {
                tg.spawn(async { sleep(Duration::from_secs(3600)).await });
                started.open();
                sleep(Duration::from_secs(3600)).await;
            }))
            .await;
            assert!(
                outcome.is_err(),
                "came out as a cancellation, not a GroupError"
            );
            "caught around the group"
        })
        .await;
        task.cancel();
        assert_eq!(task.await.unwrap(), "caught around the group");
    });
}

#[test]
fn after_the_group_handles_its_own_failure_the_next_await_is_not_cancelled() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = weft::spawn(async {
            let result = weft::task_group(|tg| async move {
                tg.spawn(async { Err::<(), _>(Boom("child")) });
                sleep(Duration::from_secs(3600)).await;
            })
            .await;
            assert!(result.is_err());
            // No cancellation leaked into the task: this completes.
            sleep(Duration::from_millis(10)).await;
            "went on"
        });
        assert_eq!(task.await.unwrap(), "went on");
    });
}

#[test]
fn a_timeout_around_a_group_cancels_it_and_elapses() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = log();
        let start = Instant::now();
        let outcome = timeout(
            Duration::from_millis(20),
            weft::task_group(|tg| {
                let seen = seen.clone();
                async move {
                    tg.spawn(async move {
                        if cancellable(sleep(Duration::from_secs(60))).await.is_err() {
                            note(&seen, "child cancelled by the timeout");
                        }
                    });
                    sleep(Duration::from_secs(60)).await;
                }
            }),
        )
        .await;
        assert!(outcome.is_err(), "elapsed");
        assert_eq!(start.elapsed(), Duration::from_millis(20));
        assert_eq!(*seen.lock().unwrap(), ["child cancelled by the timeout"]);
        // And the task itself goes on.
        sleep(Duration::from_millis(1)).await;
    });
}

#[test]
fn spawning_into_an_aborting_or_finished_group_gives_a_cancelled_task() {
    let rt = paused_runtime();
    rt.block_on(async {
        let kept = Arc::new(Mutex::new(None));
        let late = weft::task_group(|tg| {
            let kept = kept.clone();
            async move {
                *kept.lock().unwrap() = Some(tg.clone());
                tg.spawn(async { Err::<(), _>(Boom("abort")) });
                sleep(Duration::from_millis(1)).await; // cancelled by the abort
            }
        })
        .await;
        assert!(late.is_err());
        let tg = kept.lock().unwrap().take().unwrap();
        let ran = Arc::new(Mutex::new(false));
        let task = tg.spawn({
            let ran = ran.clone();
            async move {
                *ran.lock().unwrap() = true;
            }
        });
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(!*ran.lock().unwrap());
        assert!(tg.try_spawn(async {}).is_err());
    });
}

#[test]
fn task_group_cancel_stops_the_group_without_a_failure() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let err = weft::task_group(|tg| async move {
            tg.spawn(async { sleep(Duration::from_secs(3600)).await });
            sleep(Duration::from_millis(5)).await;
            tg.cancel();
            sleep(Duration::from_secs(3600)).await;
        })
        .await
        .unwrap_err();
        assert!(err.is_cancelled());
        assert!(err.failures().is_empty());
        assert_eq!(start.elapsed(), Duration::from_millis(5));

        // A body that catches the group's cancel returns its value.
        let value = weft::task_group(|tg| async move {
            tg.cancel();
            match cancellable(sleep(Duration::from_secs(3600))).await {
                Ok(()) => "slept",
                Err(_) => "caught the group's cancel",
            }
        })
        .await
        .unwrap();
        assert_eq!(value, "caught the group's cancel");
    });
}

#[test]
fn children_run_on_the_multi_thread_flavour_and_a_panic_fails_the_group() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        let sum = weft::task_group(|tg| async move {
            let tasks: Vec<_> = (0..100u64)
                .map(|i| tg.spawn(async move { Ok::<_, Boom>(i) }))
                .collect();
            let mut sum = 0;
            for t in tasks {
                sum += t.await.unwrap();
            }
            sum
        })
        .await
        .unwrap();
        assert_eq!(sum, 4950);
        let err = weft::task_group(|tg| async move {
            tg.spawn(panics("child panic"));
        })
        .await
        .unwrap_err();
        assert!(err.failures()[0].is_panic());
    });
}

/// Groups nested `depth` deep, each directly in the body of the one outside it, the
/// innermost body waiting forever; `started` opens once the innermost body runs.
fn nested_groups(
    depth: usize,
    started: support::Latch,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        let outcome = weft::task_group(move |_tg| async move {
            if depth == 1 {
                started.open();
                std::future::pending::<()>().await;
            } else {
                nested_groups(depth - 1, started).await;
            }
        })
        .await;
        unreachable!("a cancelled group never returns: {outcome:?}")
    })
}

#[test]
fn groups_nested_in_group_bodies_end_when_their_task_is_cancelled() {
    for depth in [2, 3] {
        let rt = paused_runtime();
        rt.block_on(async {
            let task = spawn_started(|started| nested_groups(depth, started)).await;
            task.cancel();
            let err = timeout(Duration::from_secs(60), task)
                .await
                .unwrap_or_else(|_| panic!("depth {depth}: the cancelled task hangs"))
                .unwrap_err();
            assert!(err.is_cancelled(), "depth {depth}: {err}");
        });
    }
}

#[test]
fn groups_nested_in_group_bodies_end_when_an_enclosing_timeout_expires() {
    for depth in [2, 3] {
        let rt = paused_runtime();
        rt.block_on(async {
            let task = weft::spawn(async move {
                timeout(
                    Duration::from_millis(50),
                    nested_groups(depth, support::Latch::new()),
                )
                .await
            });
            let elapsed = timeout(Duration::from_secs(60), task)
                .await
                .unwrap_or_else(|_| panic!("depth {depth}: the timeout never fires"))
                .unwrap();
            assert!(elapsed.is_err(), "depth {depth}: the groups returned");
        });
    }
}

#[test]
fn groups_nested_in_group_bodies_end_when_the_outer_group_is_cancelled() {
    for depth in [2, 3] {
        let rt = paused_runtime();
        rt.block_on(async {
            let started = support::Latch::new();
            let outer = weft::task_group(|tg| {
                let started = started.clone();
                async move {
                    let (inner, reached) = (tg.clone(), started.clone());
                    tg.spawn(async move {
                        reached.wait().await;
                        inner.cancel();
                    });
                    nested_groups(depth, started).await;
                }
            });
            let err = timeout(Duration::from_secs(60), outer)
                .await
                .unwrap_or_else(|_| panic!("depth {depth}: the outer group hangs"))
                .unwrap_err();
            assert!(err.is_cancelled(), "depth {depth}: {err}");
        });
    }
}

#[test]
fn groups_nested_in_group_bodies_end_when_an_outer_child_fails() {
    for depth in [2, 3] {
        let rt = paused_runtime();
        rt.block_on(async {
            let started = support::Latch::new();
            let outer = weft::task_group(|tg| {
                let started = started.clone();
                async move {
                    let reached = started.clone();
                    tg.spawn(async move {
                        reached.wait().await;
                        Err::<(), _>(Boom("outer child"))
                    });
                    nested_groups(depth, started).await;
                }
            });
            let err = timeout(Duration::from_secs(60), outer)
                .await
                .unwrap_or_else(|_| panic!("depth {depth}: the outer group hangs"))
                .unwrap_err();
            assert_eq!(err.failures().len(), 1, "depth {depth}: {err}");
        });
    }
}
