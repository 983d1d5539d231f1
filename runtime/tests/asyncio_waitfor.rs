//! CPython's `Lib/test/test_asyncio/test_waitfor.py`, ported case by case: asyncio's
//! `wait_for(aw, timeout)` is `weft::time::timeout(d, fut)`. Each test is named after
//! its CPython case, in a module named after its CPython class.
//!
//! Two documented differences shape the port (docs/asyncio.md): awaiting a weft
//! `Task` never cancels it — the awaiter's timeout or cancellation detaches it —
//! so the cases where asyncio's `wait_for` cancels the task it waits on pass the
//! task's future itself, which the timeout owns and drops; and a timeout of zero
//! polls its future once ("ready beats expired"), so a coroutine that finishes
//! without waiting runs (`test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started`).

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;
use weft::task::cancellable;
use weft::time::{sleep, timeout, timeout_at, Instant};
use weft::yield_now;

/// A very small timeout: more than zero, almost no effect on the test.
const EPSILON: Duration = Duration::from_micros(100);

/// Sets the flag when dropped: asyncio's `finally: running = False`.
struct Clears(Arc<AtomicBool>);

impl Drop for Clears {
    fn drop(&mut self) {
        self.0.store(false, SeqCst);
    }
}

/// CPython's `AsyncioWaitForTest`.
mod asyncio_wait_for_test {
    use super::*;

    /// Runs for 0.2 s, ignoring cancel requests (CPython's `SlowTask`).
    async fn slow_task(exited: Arc<AtomicBool>) {
        let exit_at = Instant::now() + Duration::from_millis(200);
        loop {
            let now = Instant::now();
            if now >= exit_at {
                break;
            }
            let _ = cancellable(sleep(exit_at - now)).await;
        }
        exited.store(true, SeqCst);
    }

    #[weft::test(start_paused = true)]
    async fn test_asyncio_wait_for_cancelled() {
        let exited = Arc::new(AtomicBool::new(false));
        let waitfortask = weft::spawn(timeout(
            Duration::from_millis(400),
            slow_task(exited.clone()),
        ));
        yield_now().await;
        waitfortask.cancel();
        let _ = waitfortask.await;
        assert!(exited.load(SeqCst));
    }

    #[weft::test(start_paused = true)]
    async fn test_asyncio_wait_for_timeout() {
        let exited = Arc::new(AtomicBool::new(false));
        let _ = timeout(Duration::from_millis(100), slow_task(exited.clone())).await;
        assert!(exited.load(SeqCst));
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_timeout_less_then_0_or_0_future_done() {
        // A finished task: its value, even with a timeout of zero.
        let fut = weft::spawn(async { "done" });
        yield_now().await;
        assert!(fut.is_finished());
        let ret = timeout(Duration::ZERO, fut).await.unwrap();
        assert_eq!(ret.unwrap(), "done");
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started() {
        // asyncio never starts the coroutine and raises TimeoutError. weft's timeout
        // polls its future once before it looks at the deadline (ready beats expired:
        // a finished task's value is not lost, as in the case above, and a lock that
        // is free is taken): a future that finishes at that poll returns its value.
        // docs/asyncio.md, "wait_for(aw, 0)".
        let foo_started = Arc::new(AtomicBool::new(false));
        let started = foo_started.clone();
        let outcome = timeout(Duration::ZERO, async move { started.store(true, SeqCst) }).await;
        assert!(outcome.is_ok());
        assert!(foo_started.load(SeqCst));
        // A future that waits is never resumed past its first await.
        let reached = Arc::new(AtomicBool::new(false));
        let after = reached.clone();
        let outcome = timeout(Duration::ZERO, async move {
            yield_now().await;
            after.store(true, SeqCst);
        })
        .await;
        assert!(outcome.is_err());
        assert!(!reached.load(SeqCst));
    }

    /// Runs until dropped, clearing `running` then (CPython's `foo`).
    async fn foo(running: Arc<AtomicBool>) -> &'static str {
        running.store(true, SeqCst);
        let _clears = Clears(running);
        sleep(Duration::from_secs(10)).await;
        "done"
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_timeout_less_then_0_or_0() {
        for deadline in [Instant::now(), Instant::now() - Duration::from_secs(1)] {
            let foo_running = Arc::new(AtomicBool::new(false));
            let outcome = timeout_at(Some(deadline), foo(foo_running.clone())).await;
            assert!(outcome.is_err());
            // It was cancelled (dropped) by the timeout.
            assert!(!foo_running.load(SeqCst));
        }
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for() {
        let foo_running = Arc::new(AtomicBool::new(false));
        let outcome = timeout(Duration::from_millis(100), foo(foo_running.clone())).await;
        assert!(outcome.is_err());
        assert!(!foo_running.load(SeqCst));
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_blocking() {
        // timeout=None
        assert_eq!(timeout_at(None, async { "done" }).await.unwrap(), "done");
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_race_condition() {
        let (tx, rx) = weft::sync::oneshot::channel();
        weft::Handle::current().call_soon(move || {
            let _ = tx.send("ok");
        });
        let res = timeout(Duration::from_millis(200), rx).await.unwrap();
        assert_eq!(res.unwrap(), "ok");
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_cancellation_race_condition() {
        // The inner future swallows the cancellation and returns: its value wins.
        let inner = async {
            assert!(cancellable(sleep(Duration::from_secs(1))).await.is_err());
            1
        };
        let result = timeout(Duration::from_millis(10), inner).await;
        assert_eq!(result, Ok(1));
    }

    /// Catches the cancellation, cleans up a little, re-raises.
    async fn cleans_up_then_reraises(task_done: Arc<AtomicBool>) {
        let _done = SetsOnDrop(task_done);
        if let Err(cancelled) = cancellable(sleep(Duration::from_secs(10))).await {
            sleep(EPSILON).await;
            cancelled.rearm();
        }
    }

    /// Sets the flag when dropped: asyncio's `finally: task_done = True`.
    struct SetsOnDrop(Arc<AtomicBool>);

    impl Drop for SetsOnDrop {
        fn drop(&mut self) {
            self.0.store(true, SeqCst);
        }
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_waits_for_task_cancellation() {
        let task_done = Arc::new(AtomicBool::new(false));
        let outcome = timeout(EPSILON, cleans_up_then_reraises(task_done.clone())).await;
        assert!(outcome.is_err());
        assert!(task_done.load(SeqCst), "the timeout waited for the cleanup");
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_waits_for_task_cancellation_w_timeout_0() {
        let task_done = Arc::new(AtomicBool::new(false));
        sleep(EPSILON).await;
        let outcome = timeout(Duration::ZERO, cleans_up_then_reraises(task_done.clone())).await;
        assert!(outcome.is_err());
        assert!(task_done.load(SeqCst));
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_reraises_exception_during_cancellation() {
        let inner = async {
            match cancellable(sleep(Duration::from_millis(200))).await {
                Ok(()) => Err("FooException"),
                Err(_cancelled) => Err("FooException"),
            }
        };
        let outcome = timeout(EPSILON, inner).await;
        assert_eq!(outcome, Ok(Err::<(), _>("FooException")));
    }

    /// `_test_cancel_wait_for`: cancelling the wait cancels what it waits on.
    async fn cancel_wait_for(deadline: Option<Instant>) {
        let dropped = Arc::new(AtomicBool::new(false));
        let blocking = {
            let dropped = dropped.clone();
            async move {
                let _dropped = SetsOnDrop(dropped);
                std::future::pending::<()>().await
            }
        };
        let wait = weft::spawn(timeout_at(deadline, blocking));
        yield_now().await;
        wait.cancel();
        assert!(wait.await.unwrap_err().is_cancelled());
        // Python issue #23219: the awaited coroutine is cancelled too.
        assert!(dropped.load(SeqCst));
    }

    #[weft::test(start_paused = true)]
    async fn test_cancel_blocking_wait_for() {
        cancel_wait_for(None).await;
    }

    #[weft::test(start_paused = true)]
    async fn test_cancel_wait_for() {
        cancel_wait_for(Some(Instant::now() + Duration::from_secs(60))).await;
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_cancel_suppressed() {
        // GH-86296: a future that swallows the cancellation and returns a value:
        // the value, as asyncio.timeout does.
        let return_42 = async {
            match cancellable(sleep(Duration::from_secs(10))).await {
                Ok(()) => 0,
                Err(_cancelled) => 42,
            }
        };
        assert_eq!(timeout(Duration::from_millis(100), return_42).await, Ok(42));
    }

    #[weft::test(start_paused = true)]
    async fn test_wait_for_issue86296() {
        // GH-86296: a task cancelled right after its wait_for finished is cancelled,
        // not run to the end.
        let inner_task = weft::spawn(async { "done" });
        let reached_end = Arc::new(AtomicBool::new(false));
        let task = weft::spawn({
            let reached_end = reached_end.clone();
            async move {
                let inner = timeout(Duration::from_secs(100), inner_task).await;
                sleep(Duration::from_secs(1)).await;
                reached_end.store(true, SeqCst);
                inner
            }
        });
        assert!(!task.is_finished());
        yield_now().await;
        task.cancel();
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(!reached_end.load(SeqCst));
    }
}

/// CPython's `WaitForShieldTests`: `weft::shield(fut)` spawns `fut` as its own task,
/// as `asyncio.shield` does with a coroutine.
mod wait_for_shield_tests {
    use super::*;

    async fn coro(seconds: f64) -> &'static str {
        sleep(Duration::from_secs_f64(seconds)).await;
        "done"
    }

    #[weft::test(start_paused = true)]
    async fn test_zero_timeout() {
        // The shield's wait is cancelled at once; the task it wraps runs on.
        let mut shielded = weft::shield(coro(0.01));
        assert!(timeout(Duration::ZERO, &mut shielded).await.is_err());
        let task = shielded.into_task();
        assert!(!task.is_finished());
        sleep(Duration::from_millis(100)).await;
        assert!(task.is_finished());
        assert_eq!(task.await.unwrap(), "done");
    }

    #[weft::test(start_paused = true)]
    async fn test_none_timeout() {
        let shielded = weft::shield(coro(0.1));
        assert_eq!(timeout_at(None, shielded).await.unwrap().unwrap(), "done");
    }

    #[weft::test(start_paused = true)]
    async fn test_shielded_timeout() {
        let mut shielded = weft::shield(coro(0.1));
        assert!(timeout(Duration::from_millis(10), &mut shielded)
            .await
            .is_err());
        let task = shielded.into_task();
        assert!(!task.is_finished());
        assert_eq!(task.await.unwrap(), "done");
    }
}
