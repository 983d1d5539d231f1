//! Sleeps: never early, in deadline order, any duration, and removed when dropped.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{paused_runtime, poll_once};
use weft::time::{sleep, sleep_until, Instant};

fn runtimes() -> [weft::Runtime; 2] {
    [
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ]
}

#[test]
fn a_sleep_never_completes_before_its_duration_on_the_real_clock() {
    for rt in runtimes() {
        rt.block_on(async {
            for ms in [1, 2, 5, 13] {
                let d = Duration::from_millis(ms);
                let start = std::time::Instant::now();
                sleep(d).await;
                assert!(start.elapsed() >= d, "slept {:?} < {d:?}", start.elapsed());
            }
        });
    }
}

#[test]
fn sleeps_complete_in_deadline_order() {
    let rt = paused_runtime();
    let order = rt.block_on(async {
        let order = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = [70u64, 5, 3000, 64, 1, 4096, 65, 200_000]
            .into_iter()
            .map(|ms| {
                let order = order.clone();
                weft::spawn(async move {
                    sleep(Duration::from_millis(ms)).await;
                    order.lock().unwrap().push(ms);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        Arc::try_unwrap(order).unwrap().into_inner().unwrap()
    });
    assert_eq!(order, [1, 5, 64, 65, 70, 3000, 4096, 200_000]);
}

#[test]
fn a_paused_clock_reads_exactly_the_time_slept() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        sleep(Duration::from_secs(3600)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3600));
        sleep(Duration::from_millis(1500)).await;
        assert_eq!(start.elapsed(), Duration::from_millis(3_601_500));
    });
}

#[test]
fn sleep_zero_yields_to_the_other_ready_tasks_once() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let order = rt.block_on(async {
        let order = Arc::new(Mutex::new(Vec::new()));
        let other = weft::spawn({
            let order = order.clone();
            async move { order.lock().unwrap().push("other") }
        });
        sleep(Duration::ZERO).await;
        order.lock().unwrap().push("after sleep(0)");
        other.await.unwrap();
        Arc::try_unwrap(order).unwrap().into_inner().unwrap()
    });
    assert_eq!(order, ["other", "after sleep(0)"]);
}

#[test]
fn sleep_until_a_past_deadline_completes_after_one_yield() {
    let rt = paused_runtime();
    rt.block_on(async {
        let past = Instant::now();
        sleep(Duration::from_secs(1)).await;
        let before = Instant::now();
        sleep_until(past).await;
        assert_eq!(Instant::now(), before);
    });
}

#[test]
fn duration_max_never_completes_and_does_not_panic() {
    let rt = paused_runtime();
    rt.block_on(async {
        let forever = sleep(Duration::MAX);
        assert!(forever.deadline().is_none());
        let outcome = weft::time::timeout(Duration::from_secs(10), forever).await;
        assert!(outcome.is_err(), "a Duration::MAX sleep completed");
        let mut later = sleep(Duration::MAX);
        later.reset(Some(Instant::now() + Duration::from_millis(1)));
        later.await;
    });
}

#[test]
fn a_hundred_thousand_concurrent_sleeps_all_complete() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let done = rt.block_on(async {
        let tasks: Vec<_> = (0..100_000u64)
            .map(|i| {
                weft::spawn(async move {
                    let d = Duration::from_millis(1 + i % 50);
                    let start = Instant::now();
                    sleep(d).await;
                    start.elapsed() >= d
                })
            })
            .collect();
        let mut done = 0;
        for t in tasks {
            assert!(t.await.unwrap(), "a sleep completed early");
            done += 1;
        }
        done
    });
    assert_eq!(done, 100_000);
    assert_eq!(rt.handle().metrics().timers(), 0);
}

#[test]
fn dropping_a_sleep_removes_its_timer() {
    let rt = paused_runtime();
    rt.block_on(async {
        let handle = weft::Handle::current();
        let mut sleeps: Vec<_> = (0..10)
            .map(|_| Box::pin(sleep(Duration::from_secs(60))))
            .collect();
        for s in &mut sleeps {
            // Poll once so each registers with the wheel.
            assert!(poll_once(s.as_mut()).await.is_none());
        }
        assert_eq!(handle.metrics().timers(), 10);
        sleeps.truncate(3);
        assert_eq!(handle.metrics().timers(), 3);
        drop(sleeps);
        assert_eq!(handle.metrics().timers(), 0);
    });
}

#[test]
fn reset_moves_a_sleep_earlier_and_later() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut s = Box::pin(sleep(Duration::from_secs(100)));
        assert!(poll_once(s.as_mut()).await.is_none());
        s.as_mut().reset(Some(start + Duration::from_secs(2)));
        s.as_mut().await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        s.as_mut().reset(Some(start + Duration::from_secs(50)));
        s.as_mut().await;
        assert_eq!(start.elapsed(), Duration::from_secs(50));
    });
}

#[test]
fn a_sleep_polled_outside_a_runtime_panics_with_a_clear_message() {
    let err = std::panic::catch_unwind(|| {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut s = Box::pin(sleep(Duration::from_secs(1)));
        let _ = std::future::Future::poll(s.as_mut(), &mut cx);
    })
    .unwrap_err();
    let msg = err.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(msg.contains("outside a weft runtime"), "{msg}");
}

#[test]
fn a_sleep_whose_runtime_shut_down_completes_instead_of_hanging() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let mut s = sleep(Duration::from_secs(3600));
    // Registered with `rt`'s timers, then `rt` goes away: its clock stops.
    assert!(rt.block_on(poll_once(&mut s)).is_none());
    drop(rt);
    let other = weft::Runtime::builder().current_thread().build().unwrap();
    other.block_on(s);
}
