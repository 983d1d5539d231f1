//! wait and as_completed.

mod support;

use std::time::Duration;
use support::paused_runtime;
use weft::time::{sleep, Instant};
use weft::ReturnWhen;

fn after(ms: u64) -> weft::Task<u64> {
    weft::spawn(async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    })
}

#[test]
fn wait_first_completed_returns_the_first_and_leaves_the_others_running() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let (done, pending) = weft::wait(
            [after(30), after(10), after(20)],
            ReturnWhen::FirstCompleted,
        )
        .await
        .unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(10));
        assert_eq!(done.len(), 1);
        assert_eq!(pending.len(), 2);
        assert!(pending
            .iter()
            .all(|t| !t.is_finished() && !t.is_cancelled()));
        for task in done {
            assert_eq!(task.await.unwrap(), 10);
        }
        let mut rest = Vec::new();
        for task in pending {
            rest.push(task.await.unwrap()); // never cancelled: they finish normally
        }
        assert_eq!(rest, [30, 20]);
    });
}

#[test]
fn wait_all_completed_and_a_timeout() {
    let rt = paused_runtime();
    rt.block_on(async {
        let (done, pending) = weft::wait([after(5), after(15)], ReturnWhen::AllCompleted)
            .await
            .unwrap();
        assert_eq!((done.len(), pending.len()), (2, 0));

        let start = Instant::now();
        let (done, pending) = weft::wait([after(5), after(500)], ReturnWhen::AllCompleted)
            .timeout(Duration::from_millis(50))
            .await
            .unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(50));
        assert_eq!((done.len(), pending.len()), (1, 1));
        assert!(!pending[0].is_finished());
    });
}

#[test]
fn wait_first_exception_returns_at_the_first_panic() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let failing = weft::spawn(async {
            sleep(Duration::from_millis(7)).await;
            if true {
                panic!("exception");
            }
            0
        });
        let (done, pending) =
            weft::wait([after(3), failing, after(100)], ReturnWhen::FirstException)
                .await
                .unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(7));
        assert_eq!((done.len(), pending.len()), (2, 1));
    });
}

#[test]
fn wait_on_an_empty_set_is_an_error() {
    let rt = paused_runtime();
    let err = rt
        .block_on(weft::wait(
            Vec::<weft::Task<()>>::new(),
            ReturnWhen::AllCompleted,
        ))
        .unwrap_err();
    assert!(err.to_string().contains("empty"));
}

#[test]
fn as_completed_yields_results_in_completion_order() {
    let rt = paused_runtime();
    rt.block_on(async {
        let mut stream = weft::as_completed([after(40), after(10), after(30), after(20)]);
        let mut order = Vec::new();
        while let Some(result) = stream.next_completed().await {
            order.push(result.unwrap());
        }
        assert_eq!(order, [10, 20, 30, 40]);
    });
}

#[test]
fn as_completed_with_a_timeout_yields_elapsed_once_and_keeps_the_rest_running() {
    let rt = paused_runtime();
    rt.block_on(async {
        let mut stream =
            weft::as_completed([after(10), after(1000)]).timeout(Duration::from_millis(100));
        assert_eq!(stream.next_completed().await.unwrap().unwrap().unwrap(), 10);
        assert!(
            stream.next_completed().await.unwrap().is_err(),
            "Elapsed at the deadline"
        );
        assert!(stream.next_completed().await.is_none());
        let rest = stream.into_remaining();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest.into_iter().next().unwrap().await.unwrap(), 1000);
    });
}
