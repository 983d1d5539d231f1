//! Wakes: from other threads, during a poll, and never lost.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use support::Latch;

/// Pending until `ready` is set; hands its waker to `waker_tx` and opens `polled`
/// each time it is polled.
struct Gate {
    ready: Arc<AtomicUsize>,
    waker_tx: mpsc::Sender<Waker>,
    polls: Arc<AtomicUsize>,
    polled: Latch,
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.polls.fetch_add(1, SeqCst);
        if self.ready.load(SeqCst) == 1 {
            return Poll::Ready(());
        }
        self.waker_tx.send(cx.waker().clone()).unwrap();
        self.polled.open();
        Poll::Pending
    }
}

fn wake_from_another_os_thread_runs_the_task(rt: weft::Runtime) {
    let ready = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    let (waker_tx, waker_rx) = mpsc::channel();
    let polled = Latch::new();
    // Inside block_on, so the current-thread flavour runs the task too.
    rt.block_on({
        let polls = polls.clone();
        async move {
            let task = weft::spawn(Gate {
                ready: ready.clone(),
                waker_tx,
                polls,
                polled: polled.clone(),
            });
            polled.wait().await;
            let waker = waker_rx.recv().unwrap();
            std::thread::spawn(move || {
                ready.store(1, SeqCst);
                waker.wake();
            })
            .join()
            .unwrap();
            task.await.unwrap();
        }
    });
    assert_eq!(polls.load(SeqCst), 2);
}

#[test]
fn wake_from_another_os_thread_runs_the_task_multi_thread() {
    wake_from_another_os_thread_runs_the_task(
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
    );
}

#[test]
fn wake_from_another_os_thread_runs_the_task_current_thread() {
    wake_from_another_os_thread_runs_the_task(
        weft::Runtime::builder().current_thread().build().unwrap(),
    );
}

/// Wakes itself during its poll `n` times, then completes.
struct SelfWake {
    left: usize,
    polls: usize,
}

impl Future for SelfWake {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls += 1;
        if self.left == 0 {
            return Poll::Ready(self.polls);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_wake_during_poll_polls_again() {
    for rt in [
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ] {
        let polls =
            rt.block_on(async { weft::spawn(SelfWake { left: 10, polls: 0 }).await.unwrap() });
        assert_eq!(polls, 11);
    }
}

#[test]
fn wakes_racing_with_polls_are_never_lost() {
    // Many tasks, each woken from a plain thread while it may be mid-poll: every one
    // must finish.
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    for _ in 0..200 {
        let ready = Arc::new(AtomicUsize::new(0));
        let polls = Arc::new(AtomicUsize::new(0));
        let (waker_tx, waker_rx) = mpsc::channel();
        let task = rt.spawn(Gate {
            ready: ready.clone(),
            waker_tx,
            polls,
            polled: Latch::new(),
        });
        let waker = waker_rx.recv().unwrap();
        let t = std::thread::spawn(move || {
            ready.store(1, SeqCst);
            waker.wake_by_ref();
            waker.wake();
        });
        task.join_blocking().unwrap();
        t.join().unwrap();
    }
}

#[test]
fn yield_now_lets_other_tasks_run_first_on_current_thread() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let order = rt.block_on(async {
        let order = Arc::new(parking_order::Order::default());
        let a = weft::spawn({
            let order = order.clone();
            async move {
                order.push("a1");
                weft::yield_now().await;
                order.push("a2");
            }
        });
        let b = weft::spawn({
            let order = order.clone();
            async move { order.push("b") }
        });
        a.await.unwrap();
        b.await.unwrap();
        order.take()
    });
    assert_eq!(order, ["a1", "b", "a2"]);
}

mod parking_order {
    #[derive(Default)]
    pub(crate) struct Order(std::sync::Mutex<Vec<&'static str>>);

    impl Order {
        pub(crate) fn push(&self, s: &'static str) {
            self.0.lock().unwrap().push(s);
        }

        pub(crate) fn take(&self) -> Vec<&'static str> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }
}
