//! The harness itself: which points a scenario is run at, and that "at the wake"
//! waits for a wake while "right after" does not.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use weft_cancel_points::{every_drop_point, At};

/// Polls `fut` with a no-op waker until ready or `polls` polls; `None` if not ready.
fn poll_up_to<F: Future>(fut: F, polls: usize) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    (0..polls).find_map(|_| match fut.as_mut().poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    })
}

#[test]
fn points_are_unpolled_then_after_and_at_the_wake_after_each_pending_in_order() {
    let seen = Mutex::new(Vec::new());
    let pendings = every_drop_point(|point| {
        seen.lock().unwrap().push((point.after(), point.at()));
        let mut left = 3;
        let op = poll_fn(|cx| {
            if left == 0 {
                return Poll::Ready(());
            }
            left -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        });
        poll_up_to(point.run(op), 10).expect("a self-waking op ends within 10 polls");
    });
    assert_eq!(pendings, 3);
    let expected = [
        (0, At::Pending),
        (1, At::Pending),
        (1, At::Wake),
        (2, At::Pending),
        (2, At::Wake),
        (3, At::Pending),
        (3, At::Wake),
        (4, At::Pending),
    ];
    assert_eq!(*seen.lock().unwrap(), expected);
}

#[test]
fn at_the_wake_waits_for_the_operations_waker_and_right_after_does_not() {
    every_drop_point(|point| {
        let stored: Arc<Mutex<Option<Waker>>> = Arc::default();
        let polls = Arc::new(Mutex::new(0));
        let op = {
            let (stored, polls) = (stored.clone(), polls.clone());
            poll_fn(move |cx| {
                let mut polls = polls.lock().unwrap();
                *polls += 1;
                if *polls == 3 {
                    return Poll::Ready(());
                }
                *stored.lock().unwrap() = Some(cx.waker().clone());
                Poll::Pending
            })
        };
        let mut run = pin!(point.run(op));
        let mut cx = Context::from_waker(Waker::noop());
        let mut turns = 0;
        loop {
            turns += 1;
            if run.as_mut().poll(&mut cx).is_ready() {
                break;
            }
            if turns == point.after() && point.at() == At::Wake {
                // Not woken yet: still waiting, and the operation is not polled.
                assert!(run.as_mut().poll(&mut cx).is_pending(), "{point}");
                assert_eq!(*polls.lock().unwrap(), point.after(), "{point}");
            }
            let waker = stored.lock().unwrap().take().expect("pending left a waker");
            waker.wake();
        }
        assert_eq!(*polls.lock().unwrap(), point.after().min(3), "{point}");
        assert_eq!(point.was_dropped(), point.after() < 3, "{point}");
    });
}

#[test]
#[should_panic(expected = "runs its operation through its DropPoint once")]
fn a_scenario_that_runs_twice_is_refused() {
    every_drop_point(|point| {
        drop(point.run(async {}));
        drop(point.run(async {}));
    });
}
