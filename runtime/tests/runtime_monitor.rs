//! The monitor (`Builder::monitor`): a task waiting behind a long poll is handed to an
//! idle worker. Each case runs on its own two-worker runtime; the "disabled" cases
//! show the same programs wait for the long poll without it.
//!
//! The bounds are the issue's: 50 ms with the default 10 ms threshold. The waits they
//! bound are the monitor's (at most two thresholds) plus one thread wake-up.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const BOUND: Duration = Duration::from_millis(50);

fn runtime(monitor: bool) -> weft::Runtime {
    weft::Runtime::builder()
        .worker_threads(2)
        .monitor(monitor)
        .build()
        .unwrap()
}

/// A task spawns a child and then computes without awaiting, for `compute` at most
/// (less once the child has run). Returns when the child ran, after the spawn.
fn child_of_a_long_poll(rt: &weft::Runtime, compute: Duration) -> (Option<Duration>, Duration) {
    rt.block_on(rt.spawn(async move {
        let ran_at = Arc::new(OnceLock::new());
        let spawned_at = Instant::now();
        let child = weft::spawn({
            let ran_at = ran_at.clone();
            async move {
                ran_at.set(Instant::now()).unwrap();
            }
        });
        while ran_at.get().is_none() && spawned_at.elapsed() < compute {
            std::hint::spin_loop();
        }
        let computed = spawned_at.elapsed();
        let waited = ran_at.get().map(|at: &Instant| *at - spawned_at);
        child.cancel();
        (waited, computed)
    }))
    .unwrap()
}

#[test]
fn a_child_spawned_before_a_long_poll_runs_on_the_idle_worker() {
    let rt = runtime(true);
    let (waited, _) = child_of_a_long_poll(&rt, Duration::from_secs(2));
    let waited = waited.expect("the child never ran during the 2 s poll");
    assert!(waited < BOUND, "the child waited {waited:?}");
    assert!(rt.handle().metrics().total().handed_over >= 1);
}

#[test]
fn without_the_monitor_the_child_waits_for_the_long_poll() {
    let rt = runtime(false);
    let (waited, computed) = child_of_a_long_poll(&rt, Duration::from_millis(300));
    assert_eq!(waited, None, "the child ran during the poll");
    assert!(computed >= Duration::from_millis(300));
    assert_eq!(rt.handle().metrics().total().handed_over, 0);
}

/// Two timers: at +50 ms a task wakes and computes for 300 ms without awaiting; at
/// +100 ms a second one wakes. Returns how late the second ran past its deadline, and
/// whether it ran before the long poll ended.
fn timer_behind_a_long_poll(rt: &weft::Runtime) -> (Duration, bool) {
    rt.block_on(async {
        let start = weft::time::Instant::now();
        let busy_until = Arc::new(OnceLock::new());
        let long = weft::spawn({
            let busy_until = busy_until.clone();
            async move {
                weft::time::sleep_until(start + Duration::from_millis(50)).await;
                std::thread::sleep(Duration::from_millis(300));
                busy_until.set(Instant::now()).unwrap();
            }
        });
        let deadline = start + Duration::from_millis(100);
        let woken = weft::spawn(async move {
            weft::time::sleep_until(deadline).await;
            Instant::now()
        });
        let ran_at = woken.await.unwrap();
        long.await.unwrap();
        let late = ran_at.saturating_duration_since(deadline.into_std());
        (late, ran_at < *busy_until.get().unwrap())
    })
}

#[test]
fn a_timer_behind_a_long_poll_fires_on_time() {
    let rt = runtime(true);
    let (late, before_the_poll_ended) = timer_behind_a_long_poll(&rt);
    assert!(before_the_poll_ended);
    assert!(late < BOUND, "the timer's task ran {late:?} late");
}

#[test]
fn without_the_monitor_a_timer_waits_for_the_long_poll() {
    let rt = runtime(false);
    let (late, before_the_poll_ended) = timer_behind_a_long_poll(&rt);
    assert!(!before_the_poll_ended, "ran {late:?} late, during the poll");
}

#[test]
fn a_zero_threshold_is_refused() {
    let err = weft::Runtime::builder()
        .monitor_threshold(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn a_shorter_threshold_hands_over_sooner() {
    let rt = weft::Runtime::builder()
        .worker_threads(2)
        .monitor_threshold(Duration::from_millis(2))
        .build()
        .unwrap();
    let (waited, _) = child_of_a_long_poll(&rt, Duration::from_secs(2));
    assert!(waited.expect("the child never ran") < BOUND);
}

#[test]
fn an_idle_runtime_with_a_monitor_shuts_down() {
    // The monitor sleeps for good once every worker has parked a while; shutdown must
    // still wake it and join it.
    let rt = runtime(true);
    rt.block_on(async {
        for _ in 0..20 {
            weft::time::sleep(Duration::from_millis(5)).await;
        }
    });
    drop(rt);
}
