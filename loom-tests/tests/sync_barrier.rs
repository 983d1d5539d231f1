//! loom: a `Barrier` party dropped while another arrives; the barrier is never
//! broken, and the count stays right whichever wins.
#![cfg(weft_loom)]

mod sync_probe;

use std::sync::Arc;

use loom::thread;
use sync_probe::{queued, Probe};
use weft_sync::Barrier;

#[test]
fn party_dropped_while_the_round_completes_leaves_the_barrier_whole() {
    loom::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let doomed = queued({
            let barrier = barrier.clone();
            async move {
                let _ = barrier.wait().await;
            }
        });
        let canceller = thread::spawn(move || drop(doomed));
        let mut arriving = Box::pin({
            let barrier = barrier.clone();
            async move { barrier.wait().await }
        });
        let first = Probe::new().poll(arriving.as_mut());
        canceller.join().unwrap();
        assert!(!barrier.is_broken());
        if first.is_ready() {
            // It completed the round with the doomed party, now gone.
            assert!(matches!(first, std::task::Poll::Ready(Ok(r)) if r.is_leader()));
            assert_eq!(barrier.n_waiting(), 0);
        } else {
            // The doomed party had left: the arriving one waits for a partner.
            assert_eq!(barrier.n_waiting(), 1);
            let partner = Probe::new().poll(Box::pin(barrier.wait()).as_mut());
            assert!(matches!(partner, std::task::Poll::Ready(Ok(r)) if r.is_leader()));
            let probe = Probe::new();
            assert!(probe.poll(arriving.as_mut()).is_ready());
        }
    });
}

#[test]
fn abort_racing_a_party_dropped_while_waiting_breaks_the_barrier_cleanly() {
    loom::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let doomed = queued({
            let barrier = barrier.clone();
            async move { barrier.wait().await.is_ok() }
        });
        let aborter = thread::spawn({
            let barrier = barrier.clone();
            move || barrier.abort()
        });
        drop(doomed);
        aborter.join().unwrap();
        assert!(barrier.is_broken());
        assert_eq!(barrier.n_waiting(), 0);
        barrier.reset();
        assert!(!barrier.is_broken());
    });
}
