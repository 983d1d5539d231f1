//! `Barrier`: indices and leader, cancellation leaves it whole, abort and reset.

mod probe;

use std::sync::Arc;

use probe::{on_wake, parked, poll_with, task, Probe};
use weft_sync::Barrier;

#[test]
fn parties_pass_together_with_arrival_indices_and_one_leader() {
    let barrier = Barrier::new(3);
    let probes: Vec<Probe> = (0..3).map(|_| Probe::new()).collect();
    let mut parties: Vec<_> = (0..3).map(|_| task(barrier.wait())).collect();
    probes[0].pending(parties[0].as_mut());
    probes[1].pending(parties[1].as_mut());
    let last = probes[2].ready(parties[2].as_mut()).unwrap();
    assert_eq!((last.index(), last.is_leader()), (2, true));
    for i in 0..2 {
        assert_eq!(probes[i].wakes(), 1);
        let r = probes[i].ready(parties[i].as_mut()).unwrap();
        assert_eq!((r.index(), r.is_leader()), (i, false));
    }
    assert_eq!(barrier.n_waiting(), 0);
}

#[test]
fn party_cancelled_while_waiting_leaves_the_barrier_unbroken() {
    let barrier = Barrier::new(2);
    let (first, _p) = parked(barrier.wait());
    assert_eq!(barrier.n_waiting(), 1);
    drop(first);
    assert_eq!(barrier.n_waiting(), 0);
    assert!(!barrier.is_broken());
    let (pa, pb) = (Probe::new(), Probe::new());
    let mut a = task(barrier.wait());
    let mut b = task(barrier.wait());
    pa.pending(a.as_mut());
    assert!(pb.ready(b.as_mut()).unwrap().is_leader());
    assert_eq!(pa.ready(a.as_mut()).unwrap().index(), 0);
}

#[test]
fn party_released_then_dropped_does_not_disturb_the_next_round() {
    let barrier = Barrier::new(2);
    let (first, _p) = parked(barrier.wait());
    Probe::new().ready(task(barrier.wait()).as_mut()).unwrap();
    drop(first); // released, never ran
    assert_eq!(barrier.n_waiting(), 0);
    assert!(!barrier.is_broken());
}

#[test]
fn abort_fails_waiting_and_later_parties_until_reset() {
    let barrier = Barrier::new(3);
    let (mut waiting, p) = parked(barrier.wait());
    barrier.abort();
    assert!(barrier.is_broken());
    assert_eq!(p.wakes(), 1);
    assert!(p.ready(waiting.as_mut()).is_err());
    assert!(Probe::new().ready(task(barrier.wait()).as_mut()).is_err());
    barrier.reset();
    assert!(!barrier.is_broken());
    let mut again = task(barrier.wait());
    Probe::new().pending(again.as_mut());
    assert_eq!(barrier.n_waiting(), 1);
}

#[test]
fn reset_fails_the_waiting_parties_and_empties_the_barrier() {
    let barrier = Barrier::new(2);
    let (mut waiting, p) = parked(barrier.wait());
    barrier.reset();
    assert!(p.ready(waiting.as_mut()).is_err());
    assert!(!barrier.is_broken());
    assert_eq!(barrier.n_waiting(), 0);
}

#[test]
fn a_round_larger_than_a_wake_batch_releases_everyone() {
    let n = 70;
    let barrier = Barrier::new(n);
    let probes: Vec<Probe> = (0..n).map(|_| Probe::new()).collect();
    let mut parties: Vec<_> = (0..n).map(|_| task(barrier.wait())).collect();
    for i in 0..n - 1 {
        probes[i].pending(parties[i].as_mut());
    }
    assert!(probes[n - 1]
        .ready(parties[n - 1].as_mut())
        .unwrap()
        .is_leader());
    for i in 0..n - 1 {
        assert_eq!(probes[i].ready(parties[i].as_mut()).unwrap().index(), i);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rounds_complete_under_tokio_multi_thread() {
    let rounds = if probe::MIRI { 3 } else { 50 };
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let mut leader = 0;
                for _ in 0..rounds {
                    leader += barrier.wait().await.unwrap().is_leader() as usize;
                }
                leader
            })
        })
        .collect();
    let mut leaders = 0;
    for h in handles {
        leaders += h.await.unwrap();
    }
    assert_eq!(leaders, rounds);
}

#[test]
fn party_of_an_ended_round_dropped_before_it_is_popped_leaves_the_count_alone() {
    // 40 parties: the leader wakes them in two batches, unlocking in between.
    // The first woken party's waker drops the last party (still linked, from
    // the round that just ended) right in that gap.
    let n = 40;
    let barrier = Arc::new(Barrier::new(n));
    let last = Arc::new(std::sync::Mutex::new(None));
    let mut parties: Vec<_> = (0..n - 1)
        .map(|_| {
            let barrier = barrier.clone();
            Box::pin(async move { barrier.wait().await })
        })
        .collect();
    let dropper = on_wake({
        let last = last.clone();
        move || drop(last.lock().unwrap().take())
    });
    assert!(poll_with(&dropper, parties[0].as_mut()).is_pending());
    for p in &mut parties[1..] {
        Probe::new().pending(p.as_mut());
    }
    *last.lock().unwrap() = parties.pop();
    assert!(Probe::new()
        .ready(task(barrier.wait()).as_mut())
        .unwrap()
        .is_leader());
    assert!(last.lock().unwrap().is_none(), "the waker ran");
    assert_eq!(barrier.n_waiting(), 0);
    assert!(!barrier.is_broken());
}
