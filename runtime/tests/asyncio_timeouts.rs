//! CPython's `Lib/test/test_asyncio/test_timeouts.py`, ported case by case:
//! `weft::time::timeout` and `timeout_at` behave as asyncio's `timeout()` and
//! `timeout_at()` context managers. Each test is named after its CPython case; a case
//! that checks only something Python has (a repr, exception chaining, entering a
//! context manager twice) is listed with the reason it was not ported.
//!
//! asyncio's `async with timeout(d) as cm:` is a pinned `Timeout` awaited by
//! reference, so `cm.expired()` and `cm.when()` can be read afterwards. Its body's
//! `try: ... except CancelledError:` is `weft::cancellable(..)`; a bare `raise` is
//! `Cancelled::rearm`. A loop "busy for a while" is `weft::time::advance` on the
//! paused clock.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use weft::task::{cancellable, current};
use weft::time::{advance, sleep, timeout, timeout_at, Instant};
use weft::{task_group, yield_now};

const MS: Duration = Duration::from_millis(1);

/// Polls `future` once (as a task does when it reaches an await).
async fn poll_once<F: Future>(mut future: Pin<&mut F>) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await
}

#[weft::test(start_paused = true)]
async fn test_timeout_basic() {
    let mut cm = pin!(timeout(10 * MS, sleep(Duration::from_secs(10))));
    assert!(cm.as_mut().await.is_err());
    assert!(cm.expired());
}

#[weft::test(start_paused = true)]
async fn test_timeout_at_basic() {
    let deadline = Instant::now() + 10 * MS;
    let mut cm = pin!(timeout_at(Some(deadline), sleep(Duration::from_secs(10))));
    assert!(cm.as_mut().await.is_err());
    assert!(cm.expired());
    assert_eq!(cm.deadline(), Some(deadline));
}

#[weft::test(start_paused = true)]
async fn test_nested_timeouts() {
    // Two timeouts with one deadline: only the outermost reports, the inner one's
    // body sees a cancellation, and the outer body does not run on (issue 17).
    let cancelled = Arc::new(AtomicBool::new(false));
    let outer_ran_on = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + 10 * MS;
    let cm2_expired = Arc::new(AtomicBool::new(false));
    let mut cm1 = pin!(timeout_at(Some(deadline), {
        let (cancelled, outer_ran_on, cm2_expired) =
            (cancelled.clone(), outer_ran_on.clone(), cm2_expired.clone());
        async move {
            let mut cm2 = pin!(timeout_at(Some(deadline), async {
                if let Err(c) = cancellable(sleep(Duration::from_secs(10))).await {
                    cancelled.store(true, SeqCst);
                    c.rearm();
                }
            }));
            // Polled to its end inside the outer timeout, which reports.
            let inner = poll_until_expired(cm2.as_mut(), &cm2_expired).await;
            outer_ran_on.store(true, SeqCst);
            inner
        }
    }));
    assert!(cm1.as_mut().await.is_err(), "only the topmost raises");
    assert!(cancelled.load(SeqCst));
    assert!(cm1.expired());
    assert!(cm2_expired.load(SeqCst));
    assert!(!outer_ran_on.load(SeqCst));
}

/// Awaits `cm`, recording whether it expired each time it is polled (its owner
/// cannot read it afterwards: the enclosing timeout drops it).
async fn poll_until_expired<F: Future>(
    mut cm: Pin<&mut weft::time::Timeout<F>>,
    expired: &AtomicBool,
) -> Result<F::Output, weft::time::Elapsed> {
    std::future::poll_fn(|cx| {
        let polled = cm.as_mut().poll(cx);
        expired.store(cm.expired(), SeqCst);
        polled
    })
    .await
}

#[weft::test(start_paused = true)]
async fn test_waiter_cancelled() {
    let cancelled = Arc::new(AtomicBool::new(false));
    let outcome = timeout(10 * MS, {
        let cancelled = cancelled.clone();
        async move {
            if let Err(c) = cancellable(sleep(Duration::from_secs(10))).await {
                cancelled.store(true, SeqCst);
                c.rearm();
            }
        }
    })
    .await;
    assert!(outcome.is_err());
    assert!(cancelled.load(SeqCst));
}

#[weft::test(start_paused = true)]
async fn test_timeout_not_called() {
    let mut cm = pin!(timeout(Duration::from_secs(10), sleep(10 * MS)));
    cm.as_mut().await.unwrap();
    let t1 = Instant::now();
    assert!(!cm.expired());
    assert!(cm.deadline().unwrap() > t1);
}

#[weft::test(start_paused = true)]
async fn test_timeout_disabled() {
    // asyncio.timeout(None)
    let mut cm = pin!(timeout_at(None, sleep(10 * MS)));
    cm.as_mut().await.unwrap();
    assert!(!cm.expired());
    assert_eq!(cm.deadline(), None);
}

#[weft::test(start_paused = true)]
async fn test_timeout_at_disabled() {
    let mut cm = pin!(timeout_at(None, sleep(10 * MS)));
    cm.as_mut().await.unwrap();
    assert!(!cm.expired());
    assert_eq!(cm.deadline(), None);
}

#[weft::test(start_paused = true)]
async fn test_timeout_zero() {
    let t0 = Instant::now();
    let mut cm = pin!(timeout(Duration::ZERO, sleep(Duration::from_secs(10))));
    assert!(cm.as_mut().await.is_err());
    let t1 = Instant::now();
    assert!(cm.expired());
    assert!(t0 <= cm.deadline().unwrap() && cm.deadline().unwrap() <= t1);
}

#[weft::test(start_paused = true)]
async fn test_timeout_zero_sleep_zero() {
    let t0 = Instant::now();
    let mut cm = pin!(timeout(Duration::ZERO, sleep(Duration::ZERO)));
    assert!(cm.as_mut().await.is_err());
    let t1 = Instant::now();
    assert!(cm.expired());
    assert!(t0 <= cm.deadline().unwrap() && cm.deadline().unwrap() <= t1);
}

#[weft::test(start_paused = true)]
async fn test_timeout_in_the_past_sleep_zero() {
    advance(Duration::from_secs(20)).await.unwrap();
    let t0 = Instant::now();
    let past = t0 - Duration::from_secs(11);
    let mut cm = pin!(timeout_at(Some(past), sleep(Duration::ZERO)));
    assert!(cm.as_mut().await.is_err());
    assert!(cm.expired());
    assert!(cm.deadline().unwrap() <= t0);
}

#[weft::test(start_paused = true)]
async fn test_foreign_exception_passed() {
    // An error from the body passes through (as a value) and nothing expired.
    let mut cm = pin!(timeout(10 * MS, async { Err::<(), _>("KeyError") }));
    assert_eq!(cm.as_mut().await.unwrap(), Err("KeyError"));
    assert!(!cm.expired());
}

// test_timeout_exception_context: not ported (exception chaining).

#[weft::test(start_paused = true)]
async fn test_foreign_exception_on_timeout() {
    // The body fails in its cleanup: that error is the outcome, not a timeout.
    let crash = async {
        match cancellable(sleep(Duration::from_secs(1))).await {
            Ok(()) => Ok(()),
            Err(_cancelled) => Err("ZeroDivisionError"),
        }
    };
    let mut cm = pin!(timeout(10 * MS, crash));
    assert_eq!(cm.as_mut().await.unwrap(), Err("ZeroDivisionError"));
    assert!(cm.expired());
}

// test_foreign_exception_on_timeout_2: not ported (exception chaining; the error
// from cleanup is test_foreign_exception_on_timeout's).

#[weft::test(start_paused = true)]
async fn test_foreign_cancel_doesnt_timeout_if_not_expired() {
    let task = weft::spawn(async {
        let mut cm = pin!(timeout(Duration::from_secs(10), async {
            current().unwrap().cancel();
            sleep(Duration::from_secs(10)).await;
        }));
        let caught = cancellable(cm.as_mut()).await;
        assert!(caught.is_err(), "a cancellation, not a timeout");
        cm.expired()
    });
    assert!(!task.await.unwrap());
}

#[weft::test(start_paused = true)]
async fn test_outer_task_is_not_cancelled() {
    let task = weft::spawn(async {
        assert!(timeout(MS, sleep(Duration::from_secs(10))).await.is_err());
    });
    task.await.unwrap();
}

#[weft::test(start_paused = true)]
async fn test_nested_timeouts_concurrent() {
    // The outer timeout expires first: the inner one never reports.
    let outcome = timeout(2 * MS, async {
        let inner = timeout(100 * MS, async {
            // Pretend we crunch some numbers.
            advance(10 * MS).await.unwrap();
            sleep(Duration::from_secs(1)).await;
        })
        .await;
        unreachable!("the inner timeout returned {inner:?}");
    })
    .await;
    assert!(outcome.is_err());
}

#[weft::test(start_paused = true)]
async fn test_nested_timeouts_loop_busy() {
    // Both expired by the time the loop is free again: the outer one reports, and
    // the sleep after the inner timeout never runs.
    let t0 = Instant::now();
    let outcome = timeout(100 * MS, async {
        let _inner = timeout(10 * MS, async {
            // Pretend the loop is busy for a while.
            advance(100 * MS).await.unwrap();
            sleep(Duration::from_secs(1)).await;
        })
        .await;
        sleep(Duration::from_secs(10)).await; // interrupted by the outer timeout
    })
    .await;
    assert!(outcome.is_err());
    let t1 = Instant::now();
    assert!(t0 <= t1 && t1 <= t0 + Duration::from_secs(1));
}

#[weft::test(start_paused = true)]
async fn test_reschedule() {
    // asyncio moves the deadline from another task; in weft the owner of the
    // pinned Timeout does, while it waits.
    let deadline1 = Instant::now() + Duration::from_secs(10);
    let deadline2 = deadline1 + Duration::from_secs(20);
    let task = weft::spawn(async move {
        let mut cm = pin!(timeout_at(Some(deadline1), sleep(Duration::from_secs(50))));
        assert!(poll_once(cm.as_mut()).await.is_pending());
        assert_eq!(cm.deadline(), Some(deadline1));
        cm.as_mut().reschedule(Some(deadline2));
        assert_eq!(cm.deadline(), Some(deadline2));
        cm.as_mut().reschedule(None);
        assert_eq!(cm.deadline(), None);
        let caught = cancellable(cm.as_mut()).await;
        assert!(caught.is_err());
        cm.expired()
    });
    yield_now().await;
    task.cancel();
    assert!(!task.await.unwrap());
}

// test_repr_active, test_repr_expired, test_repr_finished, test_repr_disabled: not
// ported (Python repr).

#[weft::test(start_paused = true)]
async fn test_nested_timeout_in_finally() {
    // A timeout in the cleanup of an expired one works on its own.
    let inner_timed_out = Arc::new(AtomicBool::new(false));
    let outcome = timeout(10 * MS, {
        let inner_timed_out = inner_timed_out.clone();
        async move {
            if let Err(c) = cancellable(sleep(Duration::from_secs(1))).await {
                let inner = timeout(10 * MS, sleep(Duration::from_secs(10))).await;
                inner_timed_out.store(inner.is_err(), SeqCst);
                c.rearm();
            }
        }
    })
    .await;
    assert!(outcome.is_err());
    assert!(inner_timed_out.load(SeqCst));
}

#[weft::test(start_paused = true)]
async fn test_timeout_after_cancellation() {
    let task = weft::spawn(async {
        current().unwrap().cancel();
        // Work which will be cancelled.
        assert!(cancellable(sleep(Duration::from_secs(1))).await.is_err());
        // Some cleanup, under a timeout of zero.
        timeout(Duration::ZERO, sleep(Duration::from_secs(1)))
            .await
            .is_err()
    });
    assert!(task.await.unwrap());
}

#[weft::test(start_paused = true)]
async fn test_cancel_in_timeout_after_cancellation() {
    let task = weft::spawn(async {
        current().unwrap().cancel();
        assert!(cancellable(sleep(Duration::from_secs(1))).await.is_err());
        let _ = timeout(Duration::from_secs(1), async {
            current().unwrap().cancel();
            sleep(Duration::from_secs(2)).await; // some cleanup
        })
        .await;
        unreachable!("the task was cancelled again");
    });
    assert!(task.await.unwrap_err().is_cancelled());
}

// test_timeout_already_entered, test_timeout_double_enter: not ported (a Timeout is
// awaited once; awaiting a finished one panics, and a second `async with` does not
// exist).
// test_timeout_finished, test_timeout_expiring: not ported (asyncio raises
// RuntimeError when a finished or expiring timeout is rescheduled; weft's reschedule
// is a method of the pinned future its owner holds, and changes nothing once the
// timeout has expired — test_timeout_expired).

#[weft::test(start_paused = true)]
async fn test_timeout_expired() {
    let mut cm = pin!(timeout(10 * MS, sleep(Duration::from_secs(1))));
    assert!(cm.as_mut().await.is_err());
    // asyncio raises RuntimeError; weft's reschedule of an expired timeout does
    // nothing.
    cm.as_mut().reschedule(Some(Instant::now() + 20 * MS));
    assert!(cm.expired());
}

// test_timeout_not_entered, test_timeout_without_task: not ported (a Timeout exists
// only around its future, and runs in any future, a task or block_on's).

#[weft::test(start_paused = true)]
async fn test_timeout_taskgroup() {
    // The timeout cancels a group whose child fails in its cleanup: the group's
    // error comes out, not a timeout (issue 17: the error goes first).
    let mut cm = pin!(timeout(
        10 * MS,
        task_group(|tg| async move {
            tg.spawn(async {
                match cancellable(sleep(Duration::from_secs(2))).await {
                    Ok(()) => Ok(()),
                    Err(_) => Err(std::io::Error::other("ZeroDivisionError")),
                }
            });
            sleep(Duration::from_secs(1)).await;
        })
    ));
    let group = cm.as_mut().await.expect("the group's error, not a timeout");
    let err = group.unwrap_err();
    assert_eq!(err.failures().len(), 1);
    assert_eq!(
        err.failures()[0].error().unwrap().to_string(),
        "ZeroDivisionError"
    );
    assert!(cm.expired());
}
