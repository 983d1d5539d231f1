//! Timeouts: elapsed vs ready at the deadline, and deadlines moved while running.

mod support;

use std::future::pending;
use std::pin::pin;
use std::time::Duration;
use support::{paused_runtime, poll_once};
use weft::time::{sleep, timeout, timeout_at, Elapsed, Instant};

#[test]
fn a_timeout_elapses_when_the_future_is_slower() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let out = timeout(Duration::from_millis(30), sleep(Duration::from_secs(5))).await;
        assert!(matches!(out, Err(Elapsed { .. })));
        assert_eq!(start.elapsed(), Duration::from_millis(30));
    });
}

#[test]
fn a_future_ready_at_the_deadline_returns_its_value() {
    let rt = paused_runtime();
    rt.block_on(async {
        let out = timeout(Duration::from_millis(10), async {
            sleep(Duration::from_millis(10)).await;
            "made it"
        })
        .await;
        assert_eq!(out, Ok("made it"));
    });
}

#[test]
fn an_elapsed_timeout_drops_the_inner_future() {
    let rt = paused_runtime();
    rt.block_on(async {
        struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Flag(dropped.clone());
        let out = timeout(Duration::from_millis(1), async move {
            let _flag = flag;
            pending::<()>().await;
        })
        .await;
        assert!(out.is_err());
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    });
}

#[test]
fn reschedule_earlier_fires_earlier() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut t = pin!(timeout(Duration::from_secs(60), pending::<()>()));
        assert!(poll_once(t.as_mut()).await.is_none());
        t.as_mut().reschedule(Some(start + Duration::from_secs(2)));
        assert_eq!(t.deadline(), Some(start + Duration::from_secs(2)));
        assert!(t.as_mut().await.is_err());
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    });
}

#[test]
fn reschedule_later_waits_longer() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut t = pin!(timeout(
            Duration::from_secs(1),
            sleep(Duration::from_secs(5))
        ));
        assert!(poll_once(t.as_mut()).await.is_none());
        t.as_mut().reschedule(Some(start + Duration::from_secs(10)));
        assert!(
            t.as_mut().await.is_ok(),
            "the inner sleep (5 s) beats the new deadline"
        );
        assert_eq!(start.elapsed(), Duration::from_secs(5));
        assert!(!t.expired());
    });
}

#[test]
fn reschedule_to_never_removes_the_deadline() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut t = pin!(timeout(
            Duration::from_millis(5),
            sleep(Duration::from_secs(7200))
        ));
        assert!(poll_once(t.as_mut()).await.is_none());
        t.as_mut().reschedule(None);
        assert_eq!(t.deadline(), None);
        assert!(t.as_mut().await.is_ok());
        assert_eq!(start.elapsed(), Duration::from_secs(7200));
    });
}

#[test]
fn reschedule_into_the_past_expires_at_the_next_poll() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        sleep(Duration::from_secs(1)).await;
        let mut t = pin!(timeout(Duration::from_secs(60), pending::<()>()));
        assert!(poll_once(t.as_mut()).await.is_none());
        t.as_mut().reschedule(Some(start));
        assert!(!t.expired());
        assert!(poll_once(t.as_mut()).await.unwrap().is_err());
        assert!(t.expired());
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    });
}

#[test]
fn a_timeout_of_duration_max_never_elapses() {
    let rt = paused_runtime();
    rt.block_on(async {
        let t = timeout(Duration::MAX, sleep(Duration::from_secs(1_000_000)));
        assert_eq!(t.deadline(), None);
        assert!(t.await.is_ok());
        assert!(timeout_at(None, async { 1 }).await.is_ok());
    });
}

#[test]
fn a_timeout_on_the_real_clock_never_elapses_early() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        let start = std::time::Instant::now();
        assert!(timeout(Duration::from_millis(20), pending::<()>())
            .await
            .is_err());
        assert!(start.elapsed() >= Duration::from_millis(20));
    });
}

#[test]
fn elapsed_is_an_error_that_converts_to_timed_out() {
    let rt = paused_runtime();
    let err = rt
        .block_on(timeout(Duration::ZERO, pending::<()>()))
        .unwrap_err();
    assert!(!err.to_string().is_empty());
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
}
