//! `join!`, `try_join!` and `join_all`: every branch polled inside the caller's task,
//! outputs in order, no spawning (so borrowed and `!Send` futures work), `try_join!`
//! stops at the first error and drops the rest, and `join_all` re-polls only the
//! futures that woke.

mod support;

use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::future::{pending, poll_fn, ready, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll};
use support::DropCounter;

fn current_thread() -> weft::Runtime {
    weft::Runtime::builder().current_thread().build().unwrap()
}

/// A future that counts its polls and is ready after `yields` pendings (waking
/// itself each time).
struct Counted {
    polls: Rc<Cell<usize>>,
    yields: usize,
    value: u32,
}

impl Future for Counted {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls.set(self.polls.get() + 1);
        if self.yields == 0 {
            return Poll::Ready(self.value);
        }
        self.yields -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn join_returns_every_output_in_argument_order() {
    current_thread().block_on(async {
        let (a, b, c) = weft::join!(
            async {
                weft::yield_now().await;
                weft::yield_now().await;
                1
            },
            async { "two" },
            async {
                weft::yield_now().await;
                3.0
            },
        );
        assert_eq!((a, b, c), (1, "two", 3.0));
    });
}

#[test]
fn join_of_nothing_is_unit_and_of_one_is_a_one_tuple() {
    current_thread().block_on(async {
        let () = weft::join!();
        let () = weft::join!(biased;);
        let (one,) = weft::join!(async { 1 });
        assert_eq!(one, 1);
    });
}

#[test]
fn join_takes_into_future_values_and_futures_by_mutable_reference() {
    current_thread().block_on(async {
        let mut held = Box::pin(async { 5 });
        let task = weft::spawn(async { 6 });
        let (a, b) = weft::join!(&mut held, task);
        assert_eq!((a, b.unwrap()), (5, 6));
    });
}

#[test]
fn join_branches_borrow_locals_that_are_neither_send_nor_static() {
    current_thread().block_on(async {
        let log = Rc::new(RefCell::new(Vec::new()));
        let counter = Cell::new(0);
        let push = |tag: &'static str| {
            let log = log.clone();
            let counter = &counter;
            async move {
                for _ in 0..3 {
                    log.borrow_mut().push(tag);
                    counter.set(counter.get() + 1);
                    weft::yield_now().await;
                }
            }
        };
        weft::join!(biased; push("a"), push("b"));
        // Concurrent, not one after the other.
        assert_eq!(*log.borrow(), ["a", "b", "a", "b", "a", "b"]);
        assert_eq!(counter.get(), 6);
    });
}

#[test]
fn join_polls_each_unfinished_branch_once_a_poll_and_drops_a_branch_when_it_finishes() {
    current_thread().block_on(async {
        let (fast, slow) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let drops = Arc::new(AtomicUsize::new(0));
        let fast_branch = {
            let guard = DropCounter(drops.clone());
            let polls = fast.clone();
            async move {
                let _guard = guard;
                Counted {
                    polls,
                    yields: 0,
                    value: 1,
                }
                .await
            }
        };
        let slow_branch = {
            let drops = drops.clone();
            let polls = slow.clone();
            async move {
                let out = Counted {
                    polls,
                    yields: 4,
                    value: 2,
                }
                .await;
                // The fast branch's future is gone already; only its output is kept.
                assert_eq!(drops.load(SeqCst), 1);
                out
            }
        };
        let out = weft::join!(fast_branch, slow_branch);
        assert_eq!(out, (1, 2));
        assert_eq!((fast.get(), slow.get()), (1, 5));
        assert_eq!(drops.load(SeqCst), 1);
    });
}

#[test]
fn join_rotates_the_first_branch_polled_unless_biased() {
    current_thread().block_on(async {
        let order = RefCell::new(Vec::new());
        let branch = |tag: usize| {
            let order = &order;
            let mut polls = 0;
            poll_fn(move |cx| {
                order.borrow_mut().push(tag);
                polls += 1;
                if polls == 3 {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
        };
        weft::join!(branch(0), branch(1), branch(2));
        let firsts: Vec<usize> = order.borrow().chunks(3).map(|c| c[0]).collect();
        assert_eq!(firsts, [0, 1, 2]);

        order.borrow_mut().clear();
        weft::join!(biased; branch(0), branch(1), branch(2));
        let firsts: Vec<usize> = order.borrow().chunks(3).map(|c| c[0]).collect();
        assert_eq!(firsts, [0, 0, 0]);
    });
}

#[test]
fn join_accepts_many_branches() {
    current_thread().block_on(async {
        let out = weft::join!(
            ready(0),
            ready(1),
            ready(2),
            ready(3),
            ready(4),
            ready(5),
            ready(6),
            ready(7),
            ready(8),
            ready(9),
            ready(10),
            ready(11),
            ready(12),
            ready(13),
            ready(14),
            ready(15),
            ready(16),
            ready(17),
            ready(18),
            ready(19),
            ready(20),
            ready(21),
            ready(22),
            ready(23),
            ready(24),
            ready(25),
            ready(26),
            ready(27),
            ready(28),
            ready(29),
            ready(30),
            ready(31),
            ready(32),
            ready(33),
            ready(34),
            ready(35),
            ready(36),
            ready(37),
            ready(38),
            ready(39),
            ready(40),
            ready(41),
            ready(42),
            ready(43),
            ready(44),
            ready(45),
            ready(46),
            ready(47),
            ready(48),
            ready(49),
            ready(50),
            ready(51),
            ready(52),
            ready(53),
            ready(54),
            ready(55),
            ready(56),
            ready(57),
            ready(58),
            ready(59),
            ready(60),
            ready(61),
            ready(62),
            ready(63),
            ready(64),
            ready(65),
            ready(66),
            ready(67),
            ready(68),
            ready(69),
        );
        assert_eq!(out.0, 0);
        assert_eq!(out.63, 63);
        assert_eq!(out.69, 69);
    });
}

#[test]
fn join_is_not_send_when_a_branch_is_not_and_is_send_otherwise() {
    fn is_send<T: Send>(_: &T) {}
    let sendable = async { weft::join!(async { 1 }, weft::yield_now()) };
    is_send(&sendable);
    drop(sendable);
}

#[test]
fn try_join_returns_every_value_when_all_succeed() {
    current_thread().block_on(async {
        let out = weft::try_join!(
            async {
                weft::yield_now().await;
                Ok::<_, String>(1)
            },
            async { Ok("two") },
        );
        assert_eq!(out, Ok((1, "two")));
        let empty: Result<(), String> = weft::try_join!();
        assert_eq!(empty, Ok(()));
    });
}

#[test]
fn try_join_returns_the_first_error_and_drops_the_other_branches_at_once() {
    current_thread().block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let never = {
            let guard = DropCounter(drops.clone());
            async move {
                let _guard = guard;
                pending::<Result<u32, &str>>().await
            }
        };
        let fails = async {
            weft::yield_now().await;
            Err::<u32, _>("boom")
        };
        let unpolled_after = Rc::new(Cell::new(0));
        let later = {
            let polls = unpolled_after.clone();
            async move {
                Ok(Counted {
                    polls,
                    yields: 100,
                    value: 3,
                }
                .await)
            }
        };
        let out = weft::try_join!(biased; never, fails, later);
        assert_eq!(out, Err("boom"));
        assert_eq!(drops.load(SeqCst), 1, "the pending branch was dropped once");
        // Polled once on the first poll, and once in the poll that met the error.
        assert_eq!(unpolled_after.get(), 1);
    });
}

#[test]
fn try_join_with_an_uninhabited_error_compiles_without_warnings() {
    current_thread().block_on(async {
        let out = weft::try_join!(ready(Ok::<_, Infallible>(1)), ready(Ok(2)));
        assert_eq!(out, Ok((1, 2)));
    });
}

#[test]
fn join_all_of_nothing_one_and_many() {
    current_thread().block_on(async {
        let none: Vec<u32> = weft::join_all(Vec::<std::future::Ready<u32>>::new()).await;
        assert!(none.is_empty());
        assert_eq!(weft::join_all([ready(7)]).await, [7]);
        let many = weft::join_all((0..100u32).map(|i| async move {
            for _ in 0..(i % 4) {
                weft::yield_now().await;
            }
            i
        }))
        .await;
        assert_eq!(many, (0..100).collect::<Vec<_>>());
    });
}

#[test]
fn join_all_borrows_locals() {
    current_thread().block_on(async {
        let seen = RefCell::new(Vec::new());
        let out = weft::join_all((0..3).map(|i| {
            let seen = &seen;
            async move {
                seen.borrow_mut().push(i);
                i * 2
            }
        }))
        .await;
        assert_eq!(out, [0, 2, 4]);
        assert_eq!(*seen.borrow(), [0, 1, 2]);
    });
}

/// A future that is pending until its latch opens, counting polls.
struct Gate {
    open: Rc<Cell<bool>>,
    waker: Rc<RefCell<Option<std::task::Waker>>>,
    polls: Rc<Cell<usize>>,
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        if self.open.get() {
            Poll::Ready(())
        } else {
            *self.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[test]
fn join_all_of_ten_thousand_repolls_only_the_futures_that_woke() {
    const N: usize = 10_000;
    current_thread().block_on(async {
        let polls = Rc::new(Cell::new(0));
        let gates: Vec<_> = (0..N)
            .map(|_| (Rc::new(Cell::new(false)), Rc::new(RefCell::new(None))))
            .collect();
        let joined = weft::join_all(gates.iter().map(|(open, waker)| Gate {
            open: open.clone(),
            waker: waker.clone(),
            polls: polls.clone(),
        }));
        let opener = async {
            // Open the gates one at a time, each in its own turn of the task.
            for (open, waker) in &gates {
                weft::yield_now().await;
                open.set(true);
                let waker: Option<std::task::Waker> = waker.borrow_mut().take();
                waker.expect("polled once, so it left a waker").wake();
            }
        };
        let (out, ()) = weft::join!(biased; joined, opener);
        assert_eq!(out.len(), N);
        // Each gate: one poll at the start, one after its wake. O(n), not O(n^2).
        assert_eq!(polls.get(), 2 * N);
    });
}

#[test]
fn join_all_polls_a_future_woken_many_times_once() {
    current_thread().block_on(async {
        let polls = Rc::new(Cell::new(0));
        let open = Rc::new(Cell::new(false));
        let waker = Rc::new(RefCell::new(None::<std::task::Waker>));
        let gate = Gate {
            open: open.clone(),
            waker: waker.clone(),
            polls: polls.clone(),
        };
        let joined = weft::join_all([gate]);
        let waker_ref = &waker;
        let opener = async move {
            weft::yield_now().await;
            let w = waker_ref.borrow().clone().unwrap();
            for _ in 0..10 {
                w.wake_by_ref();
            }
            open.set(true);
        };
        weft::join!(biased; joined, opener);
        assert_eq!(polls.get(), 2);
    });
}

#[test]
fn join_all_drops_each_future_once_and_unfinished_ones_when_dropped() {
    current_thread().block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let futures: Vec<Pin<Box<dyn Future<Output = ()>>>> = (0..4)
            .map(|i| {
                let guard = DropCounter(drops.clone());
                let f: Pin<Box<dyn Future<Output = ()>>> = if i % 2 == 0 {
                    Box::pin(async move {
                        let _guard = guard;
                    })
                } else {
                    Box::pin(async move {
                        let _guard = guard;
                        pending::<()>().await;
                    })
                };
                f
            })
            .collect();
        let mut joined = weft::join_all(futures);
        assert!(support::poll_once(&mut joined).await.is_none());
        assert_eq!(drops.load(SeqCst), 2, "finished futures dropped at once");
        drop(joined);
        assert_eq!(drops.load(SeqCst), 4);
    });
}

#[test]
fn join_all_wakes_its_task_from_another_thread() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        let tasks = (0..16u64).map(|i| weft::spawn(async move { i }));
        let out = weft::join_all(tasks).await;
        let out: Vec<u64> = out.into_iter().map(Result::unwrap).collect();
        assert_eq!(out, (0..16).collect::<Vec<_>>());
    });
}
