//! `spawn_local`: tasks whose futures are not `Send` run only on the thread that
//! spawned them — a worker, or a thread in `block_on` — and keep the whole task model:
//! cancellation with regions, names, `current()`, context variables, done-callbacks,
//! joining from another local task, task groups, shutdown on their own thread.

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use support::Latch;
use weft::sync::Event;
use weft::task::{cancellable, ContextVar, TaskOutcome};

fn current_thread() -> weft::Runtime {
    weft::Runtime::builder().current_thread().build().unwrap()
}

fn multi_thread() -> weft::Runtime {
    weft::Runtime::builder().worker_threads(2).build().unwrap()
}

/// Records the thread of every poll of the future it wraps.
struct PolledOn<F> {
    future: std::pin::Pin<Box<F>>,
    threads: Rc<RefCell<Vec<ThreadId>>>,
}

impl<F: std::future::Future> std::future::Future for PolledOn<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        self.threads.borrow_mut().push(thread::current().id());
        self.future.as_mut().poll(cx)
    }
}

fn polled_on<F>(future: F) -> (PolledOn<F>, Rc<RefCell<Vec<ThreadId>>>) {
    let threads = Rc::new(RefCell::new(Vec::new()));
    let wrapped = PolledOn {
        future: Box::pin(future),
        threads: threads.clone(),
    };
    (wrapped, threads)
}

#[test]
fn a_local_task_holds_what_is_not_send_and_runs_on_the_block_on_thread() {
    for rt in [current_thread(), multi_thread()] {
        let me = thread::current().id();
        rt.block_on(async move {
            let counter = Rc::new(Cell::new(0));
            let tasks: Vec<_> = (0..10)
                .map(|_| {
                    let counter = counter.clone();
                    weft::spawn_local(async move {
                        for _ in 0..3 {
                            counter.set(counter.get() + 1);
                            weft::yield_now().await;
                        }
                        thread::current().id()
                    })
                })
                .collect();
            for task in tasks {
                assert_eq!(task.await.unwrap(), me);
            }
            assert_eq!(counter.get(), 30);
        });
    }
}

#[test]
fn local_tasks_run_in_spawn_order() {
    current_thread().block_on(async {
        let order = Rc::new(RefCell::new(Vec::new()));
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let order = order.clone();
                weft::spawn_local(async move { order.borrow_mut().push(i) })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.borrow(), (0..50).collect::<Vec<_>>());
    });
}

#[test]
fn a_local_task_spawned_on_a_worker_stays_on_that_worker_while_others_are_busy() {
    multi_thread().block_on(async {
        // Keep both workers busy with stealable work while the local tasks run.
        let busy: Vec<_> = (0..200)
            .map(|_| {
                weft::spawn(async {
                    for _ in 0..20 {
                        weft::yield_now().await;
                    }
                })
            })
            .collect();
        let threads = Arc::new(Mutex::new(Vec::new()));
        let done = Arc::new(Event::new());
        let pinned = weft::spawn({
            let (threads, done) = (threads.clone(), done.clone());
            async move {
                let spawned_on = thread::current().id();
                let not_send = Rc::new(());
                let finished = done.clone();
                drop(weft::spawn_local(async move {
                    let _held = not_send;
                    for _ in 0..200 {
                        threads.lock().unwrap().push(thread::current().id());
                        weft::yield_now().await;
                    }
                    finished.set();
                }));
                done.wait().await;
                spawned_on
            }
        });
        for task in busy {
            task.await.unwrap();
        }
        let spawned_on = pinned.await.unwrap();
        let threads = threads.lock().unwrap();
        assert_eq!(threads.len(), 200);
        assert!(
            threads.iter().all(|t| *t == spawned_on),
            "a pinned task was polled on another worker"
        );
    });
}

#[test]
fn wakes_from_other_threads_bring_a_local_task_home() {
    for rt in [current_thread(), multi_thread()] {
        let me = thread::current().id();
        rt.block_on(async move {
            for _ in 0..200 {
                let event = Arc::new(Event::new());
                let (future, threads) = polled_on({
                    let event = event.clone();
                    async move { event.wait().await }
                });
                let task = weft::spawn_local(future);
                let setter = thread::spawn(move || event.set());
                task.await.unwrap();
                setter.join().unwrap();
                assert!(threads.borrow().iter().all(|t| *t == me));
            }
        });
    }
}

#[test]
fn a_local_task_sleeps_and_wakes_on_its_thread() {
    for rt in [current_thread(), multi_thread()] {
        let me = thread::current().id();
        rt.block_on(async move {
            let task = weft::spawn_local(async {
                weft::time::sleep(Duration::from_millis(2)).await;
                thread::current().id()
            });
            assert_eq!(task.await.unwrap(), me);
        });
    }
}

#[test]
fn a_local_task_catches_its_cancellation_and_cleans_up() {
    current_thread().block_on(async {
        let cleaned = Rc::new(Cell::new(false));
        let started = Latch::new();
        let task = weft::spawn_local({
            let (cleaned, started) = (cleaned.clone(), started.clone());
            async move {
                started.open();
                match cancellable(std::future::pending::<()>()).await {
                    Ok(()) => unreachable!(),
                    Err(_) => {
                        weft::yield_now().await; // cleanup may await
                        cleaned.set(true);
                        "caught"
                    }
                }
            }
        });
        started.wait().await;
        assert!(task.cancel());
        assert_eq!(task.await.unwrap(), "caught");
        assert!(cleaned.get());
    });
}

#[test]
fn a_local_task_cancelled_from_another_thread_is_dropped_on_its_own() {
    let rt = multi_thread();
    let me = thread::current().id();
    rt.block_on(async move {
        let dropped_on = Rc::new(Cell::new(None));
        struct RecordDrop(Rc<Cell<Option<ThreadId>>>);
        impl Drop for RecordDrop {
            fn drop(&mut self) {
                self.0.set(Some(thread::current().id()));
            }
        }
        let (tx, rx) = mpsc::channel();
        let task = weft::spawn_local({
            let guard = RecordDrop(dropped_on.clone());
            async move {
                let _guard = guard;
                tx.send(weft::task::current().unwrap()).unwrap();
                std::future::pending::<()>().await
            }
        });
        weft::yield_now().await;
        let me_task = rx.recv().unwrap();
        // `current()` is Send: cancelling from another thread only wakes the task.
        thread::spawn(move || me_task.cancel()).join().unwrap();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(dropped_on.get(), Some(me));
    });
}

#[test]
fn names_current_context_variables_and_done_callbacks_hold_for_local_tasks() {
    static REQUEST: ContextVar<u32> = ContextVar::new("request");
    current_thread().block_on(async {
        let _token = REQUEST.set(7);
        let done = Arc::new(AtomicUsize::new(0));
        let task = weft::task::Builder::new()
            .name("local-worker")
            .spawn_local(async {
                let me = weft::task::current().unwrap();
                (me.name().map(str::to_owned), REQUEST.get())
            });
        let counter = done.clone();
        task.add_done_callback(move |d| {
            assert_eq!(d.outcome(), TaskOutcome::Returned);
            assert_eq!(d.name(), Some("local-worker"));
            counter.fetch_add(1, SeqCst);
        });
        assert_eq!(task.name(), Some("local-worker"));
        let (name, var) = task.await.unwrap();
        assert_eq!(name.as_deref(), Some("local-worker"));
        assert_eq!(var, Some(7));
        assert_eq!(done.load(SeqCst), 1);
    });
}

#[test]
fn a_local_task_awaits_another() {
    current_thread().block_on(async {
        let inner = weft::spawn_local(async { Rc::new(21) });
        let outer = weft::spawn_local(async move { *inner.await.unwrap() * 2 });
        assert_eq!(outer.await.unwrap(), 42);
    });
}

#[test]
fn eager_local_tasks_run_inline_until_they_wait() {
    current_thread().block_on(async {
        let ran = Rc::new(Cell::new(false));
        let task = weft::task::Builder::new().eager(true).spawn_local({
            let ran = ran.clone();
            async move { ran.set(true) }
        });
        assert!(ran.get() && task.is_finished());
    });
}

#[test]
fn task_all_lists_this_threads_local_tasks() {
    current_thread().block_on(async {
        let idle = weft::task::Builder::new()
            .name("local-idler")
            .spawn_local(std::future::pending::<()>());
        weft::yield_now().await;
        let all = weft::task::all();
        assert!(all
            .iter()
            .any(|t| t.id() == idle.id() && t.name() == Some("local-idler")));
        idle.cancel();
        assert!(idle.await.unwrap_err().is_cancelled());
        assert!(weft::task::all()
            .iter()
            .all(|t| t.name() != Some("local-idler")));
    });
}

#[derive(Debug)]
struct Boom;

impl std::fmt::Display for Boom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("boom")
    }
}

impl std::error::Error for Boom {}

#[test]
fn a_task_group_with_local_children_fails_and_cancels_them_together() {
    current_thread().block_on(async {
        let cancelled = Rc::new(Cell::new(false));
        let result = weft::task_group(|tg| {
            let cancelled = cancelled.clone();
            async move {
                tg.spawn_local(async move {
                    if cancellable(std::future::pending::<()>()).await.is_err() {
                        cancelled.set(true);
                    }
                    Ok::<_, Boom>(())
                });
                tg.spawn_local(async {
                    weft::yield_now().await;
                    Err::<(), _>(Boom)
                });
                std::future::pending::<()>().await;
            }
        })
        .await;
        let err = result.unwrap_err();
        assert_eq!(err.failures().len(), 1);
        assert!(cancelled.get(), "the sibling was not cancelled");
    });
}

#[test]
fn spawn_local_outside_a_runtime_thread_panics_with_a_message() {
    let panic = std::panic::catch_unwind(|| weft::spawn_local(async {})).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("spawn_local"), "{message}");

    let rt = multi_thread();
    let from_blocking = rt.block_on(async {
        weft::spawn_blocking(|| std::panic::catch_unwind(|| drop(weft::spawn_local(async {}))))
            .await
            .unwrap()
    });
    assert!(
        from_blocking.is_err(),
        "spawn_local worked on a blocking-pool thread"
    );
}

/// A future that records the thread it is dropped on.
struct DroppedOn(Arc<Mutex<Option<ThreadId>>>);

impl Drop for DroppedOn {
    fn drop(&mut self) {
        *self.0.lock().unwrap() = Some(thread::current().id());
    }
}

#[test]
fn at_shutdown_a_block_on_threads_local_tasks_are_dropped_on_that_thread() {
    let rt = current_thread();
    let dropped = Arc::new(Mutex::new(None));
    rt.block_on({
        let dropped = dropped.clone();
        async move {
            let guard = DroppedOn(dropped);
            drop(weft::spawn_local(async move {
                let _guard = guard;
                std::future::pending::<()>().await
            }));
            weft::yield_now().await;
        }
    });
    assert_eq!(*dropped.lock().unwrap(), None, "dropped before shutdown");
    drop(rt);
    assert_eq!(*dropped.lock().unwrap(), Some(thread::current().id()));
}

#[test]
fn at_shutdown_a_workers_local_tasks_are_dropped_on_that_worker() {
    let rt = multi_thread();
    let dropped = Arc::new(Mutex::new(None));
    let worker = rt.block_on({
        let dropped = dropped.clone();
        async move {
            weft::spawn(async move {
                let guard = DroppedOn(dropped);
                drop(weft::spawn_local(async move {
                    let _guard = guard;
                    std::future::pending::<()>().await
                }));
                thread::current().id()
            })
            .await
            .unwrap()
        }
    });
    drop(rt);
    assert_eq!(*dropped.lock().unwrap(), Some(worker));
}

#[test]
fn a_runtime_dropped_elsewhere_leaves_a_threads_local_tasks_to_that_thread() {
    let rt = Arc::new(multi_thread());
    let dropped = Arc::new(Mutex::new(None));
    let (spawned_tx, spawned_rx) = mpsc::channel();
    let (exit_tx, exit_rx) = mpsc::channel::<()>();
    let owner = thread::spawn({
        let (rt, dropped) = (rt.clone(), dropped.clone());
        move || {
            rt.block_on(async move {
                let guard = DroppedOn(dropped);
                drop(weft::spawn_local(async move {
                    let _guard = guard;
                    std::future::pending::<()>().await
                }));
                weft::yield_now().await;
            });
            drop(rt);
            spawned_tx.send(()).unwrap();
            // Still alive while the runtime is dropped on the main thread.
            exit_rx.recv().unwrap();
            thread::current().id()
        }
    });
    spawned_rx.recv().unwrap();
    drop(Arc::into_inner(rt).expect("the only handle left"));
    assert_eq!(
        *dropped.lock().unwrap(),
        None,
        "a local task was dropped off its thread"
    );
    exit_tx.send(()).unwrap();
    let owner = owner.join().unwrap();
    assert_eq!(*dropped.lock().unwrap(), Some(owner));
}
