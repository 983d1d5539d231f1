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

/// Polls `party` again if its probe was woken since `seen`; returns what it gave.
fn repoll<T, F>(
    party: &mut std::pin::Pin<Box<F>>,
    probe: &Arc<Probe>,
    seen: usize,
) -> std::task::Poll<T>
where
    F: std::future::Future<Output = T> + ?Sized,
{
    if probe.wakes() > seen {
        probe.poll(party.as_mut())
    } else {
        std::task::Poll::Pending
    }
}

#[test]
fn reset_racing_the_drain_fails_only_a_party_not_yet_resumed_and_strands_no_arrival() {
    loom::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let probe_a = Probe::new();
        let mut a = Box::pin({
            let barrier = barrier.clone();
            async move { barrier.wait().await }
        });
        assert!(probe_a.poll(a.as_mut()).is_pending());
        // The leader completes the round: `a` is released but has not resumed.
        let leader = Probe::new().poll(Box::pin(barrier.wait()).as_mut());
        assert!(matches!(leader, std::task::Poll::Ready(Ok(r)) if r.is_leader()));

        let resetter = thread::spawn({
            let barrier = barrier.clone();
            move || barrier.reset()
        });
        let newcomer = thread::spawn({
            let barrier = barrier.clone();
            move || {
                let probe = Probe::new();
                let mut c = Box::pin(async move { barrier.wait().await });
                let first = probe.poll(c.as_mut());
                assert!(first.is_pending(), "a round of two needs a partner");
                (c, probe)
            }
        });
        // `a` resumes: its index if the drain was still on, BrokenBarrier if the reset
        // came first (rule 5).
        let resumed = probe_a.poll(a.as_mut());
        assert!(resumed.is_ready(), "a released party is never held back");
        resetter.join().unwrap();
        let (mut c, probe_c) = newcomer.join().unwrap();

        // The drain is over: the newcomer is in the filling round (it entered, or was
        // woken to enter), or a reset after it entered failed it. Never stuck outside.
        assert!(!barrier.is_broken());
        match repoll(&mut c, &probe_c, 0) {
            std::task::Poll::Pending => assert_eq!(barrier.n_waiting(), 1, "stranded"),
            std::task::Poll::Ready(outcome) => {
                assert!(outcome.is_err(), "it cannot pass alone");
                assert_eq!(barrier.n_waiting(), 0);
            }
        }
    });
}

#[test]
fn abort_racing_a_released_party_resuming_breaks_it_only_if_first() {
    loom::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let probe_a = Probe::new();
        let mut a = Box::pin({
            let barrier = barrier.clone();
            async move { barrier.wait().await.is_ok() }
        });
        assert!(probe_a.poll(a.as_mut()).is_pending());
        assert!(Probe::new()
            .poll(Box::pin(barrier.wait()).as_mut())
            .is_ready());
        let aborter = thread::spawn({
            let barrier = barrier.clone();
            move || barrier.abort()
        });
        let passed = match probe_a.poll(a.as_mut()) {
            std::task::Poll::Ready(passed) => passed,
            std::task::Poll::Pending => panic!("a released party is never held back"),
        };
        aborter.join().unwrap();
        assert!(barrier.is_broken());
        // Either way the drain ended: a reset starts a clean round at once.
        let _ = passed;
        barrier.reset();
        assert!(!barrier.is_broken());
        let probe = Probe::new();
        assert!(probe.poll(Box::pin(barrier.wait()).as_mut()).is_pending());
    });
}
