//! gather!, gather_all, try_gather, shield.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;
use support::{paused_runtime, poll_once, DropCounter};
use weft::structured::TryGatherError;
use weft::time::{sleep, timeout, Instant};

#[test]
fn gather_of_four_with_one_failure_returns_every_result_in_order() {
    let rt = paused_runtime();
    rt.block_on(async {
        let results = weft::gather_all((0..4u64).map(|i| async move {
            sleep(Duration::from_millis(10 * (4 - i))).await;
            if i == 2 {
                Err(format!("job {i} failed"))
            } else {
                Ok(i)
            }
        }))
        .await;
        let values: Vec<_> = results.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(
            values,
            [Ok(0), Ok(1), Err("job 2 failed".to_owned()), Ok(3)]
        );
    });
}

#[test]
fn gather_macro_takes_futures_of_different_types_and_reports_a_panic() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        let (n, s, panicked) = weft::gather!(async { 1u8 }, async { String::from("s") }, async {
            if true {
                panic!("third");
            }
        })
        .await;
        assert_eq!(n.unwrap(), 1);
        assert_eq!(s.unwrap(), "s");
        assert!(panicked.unwrap_err().is_panic());
    });
}

#[test]
fn cancelling_a_gather_cancels_every_child() {
    for cancel_by_drop in [true, false] {
        let rt = paused_runtime();
        rt.block_on(async {
            let drops = Arc::new(AtomicUsize::new(0));
            let children: Vec<_> = (0..3)
                .map(|_| {
                    let guard = DropCounter(drops.clone());
                    async move {
                        let _guard = guard;
                        sleep(Duration::from_secs(3600)).await;
                    }
                })
                .collect();
            if cancel_by_drop {
                let mut gather = Box::pin(weft::gather_all(children));
                assert!(poll_once(gather.as_mut()).await.is_none());
                drop(gather);
            } else {
                // A timeout around it cancels it the same way.
                assert!(timeout(Duration::from_secs(1), weft::gather_all(children))
                    .await
                    .is_err());
            }
            // The children are cancelled tasks: let them run their cancellation.
            weft::yield_now().await;
            assert_eq!(drops.load(SeqCst), 3);
        });
    }
}

#[test]
fn try_gather_returns_the_first_error_and_cancels_the_rest() {
    let rt = paused_runtime();
    rt.block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let slow = {
            let guard = DropCounter(drops.clone());
            Box::pin(async move {
                let _guard = guard;
                sleep(Duration::from_secs(3600)).await;
                Ok(1u8)
            })
                as std::pin::Pin<
                    Box<dyn std::future::Future<Output = Result<u8, &'static str>> + Send>,
                >
        };
        let failing = Box::pin(async {
            sleep(Duration::from_millis(5)).await;
            Err("broke")
        });
        let err = weft::try_gather([slow, failing]).await.unwrap_err();
        assert!(matches!(err, TryGatherError::Failed("broke")));
        assert_eq!(start.elapsed(), Duration::from_millis(5));
        weft::yield_now().await;
        assert_eq!(drops.load(SeqCst), 1, "the slow child was cancelled");

        let all = weft::try_gather((0..5).map(|i| async move { Ok::<_, ()>(i * 2) })).await;
        assert_eq!(all.unwrap(), [0, 2, 4, 6, 8]);
    });
}

#[test]
fn shield_keeps_the_work_running_while_its_waiter_is_cancelled() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut shielded = weft::shield(async {
            sleep(Duration::from_secs(5)).await;
            "done anyway"
        });
        let waiter = timeout(Duration::from_secs(1), &mut shielded).await;
        assert!(waiter.is_err(), "the outer await was cancelled");
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        assert_eq!(shielded.await.unwrap(), "done anyway");
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    });
}

#[test]
fn shield_survives_a_region_catching_the_task_cancel() {
    let rt = paused_runtime();
    rt.block_on(async {
        let started = support::Latch::new();
        let task = weft::spawn({
            let started = started.clone();
            async move {
                let shielded = weft::shield(async {
                    sleep(Duration::from_secs(2)).await;
                    7
                });
                let inner = shielded.into_task();
                let mut inner = inner;
                started.open();
                let outer = weft::task::cancellable(&mut inner).await;
                assert!(outer.is_err(), "the outer sees Cancelled");
                inner.await.unwrap() // the inner's result is still available
            }
        });
        started.wait().await;
        task.cancel();
        assert_eq!(task.await.unwrap(), 7);
    });
}
