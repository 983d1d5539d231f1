//! Cooperative cancellation: regions catch requests, clean up with awaits, and
//! re-raise; `uncancel`, messages, self-cancel, and requests that wait.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{paused_runtime, spawn_started, DropCounter, Latch};
use weft::task::{cancellable, current, uncancel};
use weft::time::{sleep, Instant};

#[test]
fn a_cancel_with_no_region_runs_destructors_and_reports_cancelled() {
    let rt = paused_runtime();
    rt.block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let guard = DropCounter(drops.clone());
        let task = spawn_started(|started| async move {
            let _guard = guard;
            started.open();
            sleep(Duration::from_secs(3600)).await;
        })
        .await;
        assert!(task.cancel());
        let err = (&mut { task }).await.unwrap_err();
        assert!(err.is_cancelled());
        assert_eq!(drops.load(SeqCst), 1);
    });
}

#[test]
fn a_region_catches_and_cleanup_awaits_a_sleep_and_a_lock_then_returns_a_value() {
    let rt = paused_runtime();
    rt.block_on(async {
        let lock = Arc::new(weft::sync::Lock::new(Vec::new()));
        let task = spawn_started({
            let lock = lock.clone();
            |started| async move {
                started.open();
                match cancellable(sleep(Duration::from_secs(3600))).await {
                    Ok(()) => "finished",
                    Err(cancelled) => {
                        assert_eq!(cancelled.message(), None);
                        sleep(Duration::from_millis(50)).await; // cleanup awaits
                        lock.lock().await.push("cleaned up");
                        "caught"
                    }
                }
            }
        })
        .await;
        let start = Instant::now();
        task.cancel();
        let mut task = task;
        assert_eq!((&mut task).await.unwrap(), "caught");
        assert_eq!(start.elapsed(), Duration::from_millis(50));
        assert!(
            !task.is_cancelled(),
            "a task that caught its cancellation is not cancelled"
        );
        assert_eq!(task.cancelling(), 1);
        assert_eq!(*lock.lock().await, ["cleaned up"]);
    });
}

#[test]
fn in_nested_regions_the_inner_one_catches() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = spawn_started(|started| async move {
            let outer = cancellable(async {
                let inner = cancellable(async {
                    started.open();
                    sleep(Duration::from_secs(3600)).await;
                })
                .await;
                assert!(inner.is_err(), "the inner region caught it");
                // The request was taken: this sleep is not interrupted.
                sleep(Duration::from_secs(1)).await;
                "inner caught"
            })
            .await;
            outer.expect("the outer region saw nothing")
        })
        .await;
        task.cancel();
        assert_eq!(task.await.unwrap(), "inner caught");
    });
}

#[test]
fn rearm_lets_the_outer_region_catch_too() {
    let rt = paused_runtime();
    rt.block_on(async {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let task = spawn_started({
            let seen = seen.clone();
            |started| async move {
                let outer = cancellable(async {
                    if let Err(cancelled) = cancellable(async {
                        started.open();
                        sleep(Duration::from_secs(3600)).await;
                    })
                    .await
                    {
                        seen.lock().unwrap().push("inner");
                        cancelled.rearm();
                    }
                    sleep(Duration::from_secs(3600)).await;
                })
                .await;
                if outer.is_err() {
                    seen.lock().unwrap().push("outer");
                }
            }
        })
        .await;
        task.cancel();
        task.await.unwrap();
        assert_eq!(*seen.lock().unwrap(), ["inner", "outer"]);
    });
}

#[test]
fn rearm_with_no_outer_region_ends_the_task_cancelled() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = spawn_started(|started| async move {
            if let Err(cancelled) = cancellable(async {
                started.open();
                sleep(Duration::from_secs(3600)).await;
            })
            .await
            {
                cancelled.rearm();
            }
            sleep(Duration::from_secs(3600)).await;
        })
        .await;
        task.cancel();
        assert!(task.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn after_uncancel_a_second_cancel_is_needed() {
    let rt = paused_runtime();
    rt.block_on(async {
        let (first_region, second_region) = (Latch::new(), Latch::new());
        let task = weft::spawn({
            let (first_region, second_region) = (first_region.clone(), second_region.clone());
            async move {
                first_region.open();
                assert!(cancellable(sleep(Duration::from_secs(3600))).await.is_err());
                assert_eq!(uncancel(), 0);
                second_region.open();
                // Only a second request interrupts this one; unasked, it sleeps 60 s.
                cancellable(sleep(Duration::from_secs(60))).await.is_err()
            }
        });
        first_region.wait().await;
        task.cancel();
        second_region.wait().await;
        assert_eq!(task.cancelling(), 0);
        let start = Instant::now();
        task.cancel();
        assert!(
            task.await.unwrap(),
            "the second region caught the second cancel"
        );
        assert_eq!(start.elapsed(), Duration::ZERO);
    });
}

#[test]
fn a_task_can_cancel_itself() {
    let rt = paused_runtime();
    let err = rt
        .block_on(rt.spawn(async {
            current().unwrap().cancel();
            sleep(Duration::from_secs(1)).await;
            unreachable!("cancelled at its own await")
        }))
        .unwrap_err();
    assert!(err.is_cancelled());
}

#[test]
fn the_cancel_message_reaches_the_region_and_the_task_error() {
    let rt = paused_runtime();
    rt.block_on(async {
        let caught = spawn_started(|started| async move {
            started.open();
            let err = cancellable(std::future::pending::<()>()).await.unwrap_err();
            err.message().map(str::to_owned)
        })
        .await;
        caught.cancel_with("deploy");
        assert_eq!(caught.await.unwrap().as_deref(), Some("deploy"));

        let uncaught = weft::spawn(std::future::pending::<()>());
        uncaught.cancel_with("bye");
        let err = uncaught.await.unwrap_err();
        assert_eq!(err.cancel_message(), Some("bye"));
        assert!(err.to_string().contains("bye"));
    });
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs_even_with_a_region_in_its_body() {
    let rt = paused_runtime();
    rt.block_on(async {
        let ran = Arc::new(AtomicUsize::new(0));
        let task = weft::spawn({
            let ran = ran.clone();
            async move {
                ran.fetch_add(1, SeqCst);
                let _ = cancellable(std::future::pending::<()>()).await;
            }
        });
        task.cancel();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(ran.load(SeqCst), 0);
    });
}

#[test]
fn a_request_waits_while_no_region_is_polled_and_drops_the_task_when_the_last_one_ends() {
    let rt = paused_runtime();
    rt.block_on(async {
        let gate = Arc::new(weft::sync::Event::new());
        let in_region_wait = Latch::new();
        let reached_after = Arc::new(AtomicUsize::new(0));
        let task = weft::spawn({
            let (gate, in_region_wait, reached_after) =
                (gate.clone(), in_region_wait.clone(), reached_after.clone());
            async move {
                // A region that is alive but not polled while the task awaits `gate`.
                let mut region = Box::pin(cancellable(std::future::pending::<()>()));
                assert!(support::poll_once(region.as_mut()).await.is_none());
                in_region_wait.open();
                gate.wait().await; // the request arrives here: no region is polled
                drop(region); // the last region ends without taking it
                sleep(Duration::from_millis(1)).await;
                reached_after.fetch_add(1, SeqCst);
            }
        });
        in_region_wait.wait().await;
        task.cancel();
        weft::yield_now().await; // the task wakes for the request, polls, stays
        assert!(!task.is_finished(), "a live region kept the task");
        gate.set();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(reached_after.load(SeqCst), 0);
    });
}

#[test]
fn cancel_from_another_thread_reaches_a_region_on_the_multi_thread_flavour() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let started = Latch::new();
    let task = rt.spawn({
        let started = started.clone();
        async move {
            started.open();
            cancellable(std::future::pending::<()>()).await.is_err()
        }
    });
    rt.block_on(started.wait());
    std::thread::spawn(move || {
        task.cancel();
        task.join_blocking().unwrap()
    })
    .join()
    .map(|caught| assert!(caught))
    .unwrap();
}
