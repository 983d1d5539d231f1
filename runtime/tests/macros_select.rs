//! `select!` (tokio's syntax and semantics) and `select_all`: the first branch to
//! finish with a matching value wins; failed patterns and false preconditions disable
//! branches; `else` when none is left; random start unless `biased;`; the losers are
//! dropped once, before the handler runs; futures borrowed with `&mut` survive a loop.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{pending, poll_fn, ready, Future};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use support::{paused_runtime, DropCounter};

fn current_thread() -> weft::Runtime {
    weft::Runtime::builder().current_thread().build().unwrap()
}

/// Ready after `yields` self-woken pendings.
async fn after_yields<T>(yields: usize, value: T) -> T {
    for _ in 0..yields {
        weft::yield_now().await;
    }
    value
}

#[test]
fn the_first_branch_to_finish_wins() {
    current_thread().block_on(async {
        let won = weft::select! {
            a = after_yields(3, "slow") => a,
            b = after_yields(1, "fast") => b,
        };
        assert_eq!(won, "fast");
    });
}

#[test]
fn a_value_that_does_not_match_disables_its_branch_and_the_others_go_on() {
    current_thread().block_on(async {
        let won = weft::select! {
            Some(v) = after_yields(0, None::<u32>) => v,
            Some(v) = after_yields(2, Some(7u32)) => v + 1,
        };
        assert_eq!(won, 8);
    });
}

#[test]
fn else_runs_when_every_pattern_fails() {
    current_thread().block_on(async {
        let out = weft::select! {
            Some(v) = ready(None::<u32>) => v,
            Ok(v) = after_yields(1, Err::<u32, ()>(())) => v,
            else => 99,
        };
        assert_eq!(out, 99);
    });
}

#[test]
fn else_runs_at_once_when_every_precondition_is_false_and_no_future_is_polled() {
    current_thread().block_on(async {
        let polls = Cell::new(0);
        let evaluated = Cell::new(0);
        let counting = || {
            evaluated.set(evaluated.get() + 1);
            poll_fn(|_| {
                polls.set(polls.get() + 1);
                Poll::Ready(1)
            })
        };
        let out = weft::select! {
            v = counting(), if false => v,
            v = counting(), if 1 > 2 => v,
            else => 0,
        };
        assert_eq!(out, 0);
        assert_eq!(
            evaluated.get(),
            2,
            "a disabled branch's future is still evaluated"
        );
        assert_eq!(polls.get(), 0, "and never polled");
    });
}

#[test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
fn every_branch_disabled_without_else_panics_with_tokios_message() {
    current_thread().block_on(async {
        let _: u32 = weft::select! {
            Some(v) = ready(None::<u32>) => v,
            v = ready(1u32), if false => v,
        };
    });
}

#[test]
fn only_an_else_branch_is_its_value() {
    current_thread().block_on(async {
        let out: u32 = weft::select! { else => 5 };
        assert_eq!(out, 5);
        let out: u32 = weft::select! { biased; else => 6, };
        assert_eq!(out, 6);
    });
}

#[test]
fn preconditions_are_evaluated_first_then_futures_in_order() {
    current_thread().block_on(async {
        let log = RefCell::new(Vec::new());
        let note = |what: &'static str| log.borrow_mut().push(what);
        let future = |what: &'static str| {
            note(what);
            ready(())
        };
        weft::select! {
            biased;
            () = future("future a"), if { note("guard a"); true } => {}
            () = future("future b"), if { note("guard b"); true } => {}
        }
        assert_eq!(
            *log.borrow(),
            ["guard a", "guard b", "future a", "future b"]
        );
    });
}

#[test]
fn biased_polls_in_the_written_order() {
    current_thread().block_on(async {
        for _ in 0..100 {
            let won = weft::select! {
                biased;
                v = ready(0) => v,
                v = ready(1) => v,
                v = ready(2) => v,
            };
            assert_eq!(won, 0);
        }
        let polled = RefCell::new(Vec::new());
        let branch = |i: usize| {
            let polled = &polled;
            poll_fn(move |_| {
                polled.borrow_mut().push(i);
                Poll::<()>::Pending
            })
        };
        let mut probe = pin!(async {
            weft::select! {
                biased;
                () = branch(0) => {}
                () = branch(1) => {}
                () = branch(2) => {}
            }
        });
        assert!(support::poll_once(probe.as_mut()).await.is_none());
        assert_eq!(*polled.borrow(), [0, 1, 2]);
    });
}

/// How often each of `n` always-ready branches wins in `rounds` unbiased selects.
fn wins_of_always_ready_branches<const N: usize>(rounds: usize) -> [usize; N] {
    let mut wins = [0; N];
    current_thread().block_on(async {
        for _ in 0..rounds {
            let index = match N {
                2 => weft::select! {
                    v = ready(0) => v,
                    v = ready(1) => v,
                },
                _ => weft::select! {
                    v = ready(0) => v,
                    v = ready(1) => v,
                    v = ready(2) => v,
                    v = ready(3) => v,
                    v = ready(4) => v,
                    v = ready(5) => v,
                    v = ready(6) => v,
                    v = ready(7) => v,
                },
            };
            wins[index] += 1;
        }
    });
    wins
}

#[test]
fn without_biased_every_always_ready_branch_wins_its_share() {
    // Expected 1000 each of 2000 and 250 each of 2000: a branch under a quarter of
    // its share is a broken start choice, not bad luck (p < 1e-30).
    let two = wins_of_always_ready_branches::<2>(2000);
    assert!(two.iter().all(|&w| w > 250), "{two:?}");
    let eight = wins_of_always_ready_branches::<8>(2000);
    assert!(eight.iter().all(|&w| w > 60), "{eight:?}");
}

#[test]
fn the_losers_are_dropped_exactly_once_before_the_handler_runs() {
    current_thread().block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let guarded = |yields: usize| {
            let guard = DropCounter(drops.clone());
            async move {
                let _guard = guard;
                after_yields(yields, yields).await
            }
        };
        let seen_in_handler = weft::select! {
            biased;
            v = guarded(5) => v,
            v = guarded(1) => {
                // The winner finished (its guard is gone) and both losers were dropped.
                assert_eq!(v, 1);
                drops.load(SeqCst)
            }
            v = guarded(9) => v,
        };
        assert_eq!(seen_in_handler, 3);
        assert_eq!(drops.load(SeqCst), 3);
    });
}

#[test]
fn a_disabled_branch_future_is_dropped_too() {
    current_thread().block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let guard = DropCounter(drops.clone());
        let disabled = async move {
            let _guard = guard;
            1
        };
        let out = weft::select! {
            v = disabled, if false => v,
            v = ready(2) => {
                assert_eq!(drops.load(SeqCst), 1);
                v
            }
        };
        assert_eq!(out, 2);
    });
}

#[test]
fn a_future_borrowed_with_mut_survives_every_iteration_of_a_loop() {
    paused_runtime().block_on(async {
        let ticks = Rc::new(Cell::new(0));
        let mut deadline = pin!(weft::time::sleep(Duration::from_millis(35)));
        let polls_of_long = Cell::new(0);
        let mut long = pin!(poll_fn(|_| {
            polls_of_long.set(polls_of_long.get() + 1);
            Poll::<()>::Pending
        }));
        loop {
            weft::select! {
                biased;
                () = &mut deadline => break,
                () = weft::time::sleep(Duration::from_millis(10)) => ticks.set(ticks.get() + 1),
                () = &mut long => unreachable!(),
            }
        }
        // Ticks at 10, 20, 30; the deadline at 35 ends the loop: the same deadline
        // future was kept across the iterations.
        assert_eq!(ticks.get(), 3);
        assert!(
            polls_of_long.get() > 3,
            "the same future polled on every turn"
        );
    });
}

#[test]
fn handlers_run_in_the_enclosing_context_break_continue_return_and_question_mark() {
    async fn first_even(values: &[u32]) -> Result<u32, String> {
        let mut i = 0;
        loop {
            let v = values.get(i).copied();
            i += 1;
            weft::select! {
                Some(v) = ready(v) => {
                    if v % 2 == 1 {
                        continue;
                    }
                    if v == 0 {
                        return Err("zero".to_owned());
                    }
                    let parsed: u32 = format!("{v}").parse().map_err(|_| "bad".to_owned())?;
                    weft::yield_now().await;
                    break Ok(parsed);
                }
                else => break Err("none".to_owned()),
            }
        }
    }
    current_thread().block_on(async {
        assert_eq!(first_even(&[1, 3, 4, 6]).await, Ok(4));
        assert_eq!(first_even(&[1, 0]).await, Err("zero".to_owned()));
        assert_eq!(first_even(&[1]).await, Err("none".to_owned()));
    });
}

#[test]
fn branches_borrow_locals_that_are_neither_send_nor_static() {
    current_thread().block_on(async {
        let cell = Rc::new(RefCell::new(vec![1, 2]));
        let local = Cell::new(0);
        let out = weft::select! {
            v = async { cell.borrow_mut().pop() } => v,
            () = async { local.set(1); pending::<()>().await } => None,
        };
        assert!(out.is_some());
        assert_eq!(cell.borrow().len(), 1);
    });
}

#[test]
fn patterns_may_bind_mutably_by_reference_and_with_alternatives() {
    current_thread().block_on(async {
        let mut total = weft::select! {
            (mut a, b) = ready((1, 2)) => {
                a += b;
                a
            }
        };
        total += weft::select! {
            1 | 2 = ready(2) => 10,
            else => 0,
        };
        let owned = String::from("x");
        total += weft::select! {
            ref s = ready(owned) => s.len(),
        };
        assert_eq!(total, 14);
    });
}

#[test]
fn commas_are_optional_after_block_handlers_only() {
    current_thread().block_on(async {
        let v = weft::select! {
            biased;
            v = ready(1) => { v }
            v = ready(2) => if v > 0 { v } else { 0 }
            v = ready(3) => match v { 0 => 0, _ => v }
            v = ready(4) => v
        };
        assert_eq!(v, 1);
    });
}

#[test]
fn select_handles_sixty_four_and_more_branches() {
    current_thread().block_on(async {
        let out = weft::select! {
            v = after_yields(50, 0) => v, v = after_yields(50, 1) => v, v = after_yields(50, 2) => v, v = after_yields(50, 3) => v,
            v = after_yields(50, 4) => v, v = after_yields(50, 5) => v, v = after_yields(50, 6) => v, v = after_yields(50, 7) => v,
            v = after_yields(50, 8) => v, v = after_yields(50, 9) => v, v = after_yields(50, 10) => v, v = after_yields(50, 11) => v,
            v = after_yields(50, 12) => v, v = after_yields(50, 13) => v, v = after_yields(50, 14) => v, v = after_yields(50, 15) => v,
            v = after_yields(50, 16) => v, v = after_yields(50, 17) => v, v = after_yields(50, 18) => v, v = after_yields(50, 19) => v,
            v = after_yields(50, 20) => v, v = after_yields(50, 21) => v, v = after_yields(50, 22) => v, v = after_yields(50, 23) => v,
            v = after_yields(50, 24) => v, v = after_yields(50, 25) => v, v = after_yields(50, 26) => v, v = after_yields(50, 27) => v,
            v = after_yields(50, 28) => v, v = after_yields(50, 29) => v, v = after_yields(50, 30) => v, v = after_yields(50, 31) => v,
            v = after_yields(50, 32) => v, v = after_yields(50, 33) => v, v = after_yields(50, 34) => v, v = after_yields(50, 35) => v,
            v = after_yields(50, 36) => v, v = after_yields(50, 37) => v, v = after_yields(50, 38) => v, v = after_yields(50, 39) => v,
            v = after_yields(50, 40) => v, v = after_yields(50, 41) => v, v = after_yields(50, 42) => v, v = after_yields(50, 43) => v,
            v = after_yields(50, 44) => v, v = after_yields(50, 45) => v, v = after_yields(50, 46) => v, v = after_yields(50, 47) => v,
            v = after_yields(50, 48) => v, v = after_yields(50, 49) => v, v = after_yields(50, 50) => v, v = after_yields(50, 51) => v,
            v = after_yields(50, 52) => v, v = after_yields(50, 53) => v, v = after_yields(50, 54) => v, v = after_yields(50, 55) => v,
            v = after_yields(50, 56) => v, v = after_yields(50, 57) => v, v = after_yields(50, 58) => v, v = after_yields(50, 59) => v,
            v = after_yields(50, 60) => v, v = after_yields(50, 61) => v, v = after_yields(50, 62) => v, v = after_yields(2, 63) => v,
            v = after_yields(50, 64) => v, v = after_yields(50, 65) => v, v = after_yields(50, 66) => v, v = after_yields(50, 67) => v,
        };
        assert_eq!(out, 63);
    });
}

#[test]
fn a_select_loop_over_a_queue_and_an_event_loses_no_item() {
    current_thread().block_on(async {
        let queue = Arc::new(weft::sync::Queue::new(0));
        let stop = Arc::new(weft::sync::Event::new());
        let producer = {
            let (queue, stop) = (queue.clone(), stop.clone());
            weft::spawn(async move {
                for i in 0..100u32 {
                    queue.put(i).await.unwrap();
                    if i % 7 == 0 {
                        weft::yield_now().await;
                    }
                }
                weft::yield_now().await;
                stop.set();
            })
        };
        let mut got = Vec::new();
        loop {
            weft::select! {
                Ok(item) = queue.get() => got.push(item),
                () = stop.wait() => break,
            }
        }
        while let Ok(item) = queue.get_nowait() {
            got.push(item);
        }
        producer.await.unwrap();
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    });
}

#[test]
fn the_select_future_is_send_when_its_branches_are() {
    fn is_send<T: Send>(_: &T) {}
    let fut = async {
        weft::select! {
            v = ready(1) => v,
            v = weft::spawn(async { 2 }) => v.unwrap(),
        }
    };
    is_send(&fut);
    drop(fut);
}

#[test]
fn select_all_of_one_and_many_returns_the_first_ready_its_index_and_the_rest() {
    current_thread().block_on(async {
        let (v, i, rest) = weft::select_all([ready(3)]).await;
        assert_eq!((v, i, rest.len()), (3, 0, 0));

        let futures: Vec<Pin<Box<dyn Future<Output = usize>>>> = (0..5)
            .map(|i| -> Pin<Box<dyn Future<Output = usize>>> {
                Box::pin(after_yields([4, 3, 1, 2, 9][i], i))
            })
            .collect();
        let (v, i, rest) = weft::select_all(futures).await;
        assert_eq!((v, i, rest.len()), (2, 2, 4));
        // swap_remove: the last takes the winner's place; the rest go on where they
        // were (the one that needed 3 yields has had 2 of them).
        let (v, i, rest) = weft::select_all(rest).await;
        assert_eq!((v, i, rest.len()), (1, 1, 3));
    });
}

#[test]
#[should_panic(expected = "weft::select_all was given no futures")]
fn select_all_of_nothing_panics_at_the_call() {
    drop(weft::select_all(Vec::<std::future::Ready<()>>::new()));
}

#[test]
fn select_all_polls_each_future_once_a_poll_in_order_until_one_is_ready() {
    current_thread().block_on(async {
        let polls = Rc::new(RefCell::new(Vec::new()));
        let futures: Vec<Pin<Box<dyn Future<Output = usize>>>> = (0..4)
            .map(|i| -> Pin<Box<dyn Future<Output = usize>>> {
                let polls = polls.clone();
                let mut count = 0;
                Box::pin(poll_fn(move |cx: &mut Context<'_>| {
                    polls.borrow_mut().push(i);
                    count += 1;
                    if i == 2 && count == 3 {
                        return Poll::Ready(i);
                    }
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }))
            })
            .collect();
        let (v, _, rest) = weft::select_all(futures).await;
        assert_eq!(v, 2);
        assert_eq!(*polls.borrow(), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2]);
        assert_eq!(rest.len(), 3);
    });
}

#[test]
fn select_all_drops_the_winner_and_hands_the_rest_back_undropped() {
    current_thread().block_on(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let futures: Vec<Pin<Box<dyn Future<Output = ()>>>> = (0..3)
            .map(|i| -> Pin<Box<dyn Future<Output = ()>>> {
                let guard = DropCounter(drops.clone());
                Box::pin(async move {
                    let _guard = guard;
                    after_yields(i, ()).await
                })
            })
            .collect();
        let ((), 0, rest) = weft::select_all(futures).await else {
            panic!("the first future is ready first");
        };
        assert_eq!(drops.load(SeqCst), 1);
        drop(rest);
        assert_eq!(drops.load(SeqCst), 3);
    });
}
