//! Dropping or shutting down a runtime: every pending future dropped exactly once,
//! threads joined, handles told the truth.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Waker};
use support::{DropCounter, Latch};

fn runtimes() -> [weft::Runtime; 3] {
    [
        weft::Runtime::builder().worker_threads(1).build().unwrap(),
        weft::Runtime::builder().worker_threads(4).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ]
}

#[test]
fn shutdown_drops_every_pending_future_exactly_once() {
    for rt in runtimes() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..1000 {
            let guard = DropCounter(drops.clone());
            tasks.push(rt.spawn(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            }));
        }
        drop(rt);
        assert_eq!(drops.load(SeqCst), 1000);
        for task in tasks {
            let err = task.join_blocking().unwrap_err();
            assert!(err.is_cancelled(), "{err}");
        }
    }
}

#[test]
fn a_task_of_a_dropped_runtime_reports_cancelled_when_awaited_elsewhere() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let task = rt.spawn(std::future::pending::<u8>());
    drop(rt);
    let other = weft::Runtime::builder().current_thread().build().unwrap();
    assert!(other.block_on(task).unwrap_err().is_cancelled());
}

#[test]
fn shutdown_joins_the_worker_threads() {
    let rt = weft::Runtime::builder()
        .worker_threads(3)
        .thread_name("shutdown-join-probe")
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let probes: Vec<_> = (0..3)
        .map(|_| {
            let seen = seen.clone();
            rt.spawn(async move {
                // Dropped with the thread-local: proves the thread itself ended.
                struct OnThreadExit(Arc<Mutex<Vec<String>>>);
                impl Drop for OnThreadExit {
                    fn drop(&mut self) {
                        self.0.lock().unwrap().push("exit".into());
                    }
                }
                thread_local! {
                    static PROBE: std::cell::RefCell<Option<OnThreadExit>> = const { std::cell::RefCell::new(None) };
                }
                PROBE.with(|p| {
                    let mut p = p.borrow_mut();
                    if p.is_none() {
                        *p = Some(OnThreadExit(seen.clone()));
                    }
                });
                std::thread::current().name().map(str::to_owned)
            })
        })
        .collect();
    for p in probes {
        assert_eq!(
            p.join_blocking().unwrap().as_deref(),
            Some("shutdown-join-probe")
        );
    }
    let threads_with_probe = Arc::strong_count(&seen) - 1;
    drop(rt);
    // Every worker thread that installed a probe has exited (its thread-locals ran).
    assert_eq!(seen.lock().unwrap().len(), threads_with_probe);
}

/// On drop, wakes a waker it holds: a destructor that wakes another task.
struct WakeOnDrop(Option<Waker>, #[allow(dead_code)] DropCounter);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        if let Some(w) = self.0.take() {
            w.wake();
        }
    }
}

/// Pending forever; hands its waker out and opens a latch at its first poll.
struct Park(mpsc::Sender<Waker>, Latch);

impl Future for Park {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _ = self.0.send(cx.waker().clone());
        self.1.open();
        Poll::Pending
    }
}

/// On drop, spawns a task and keeps its handle where the test can see it.
struct SpawnOnDrop(Arc<Mutex<Option<weft::Task<()>>>>);

impl Drop for SpawnOnDrop {
    fn drop(&mut self) {
        *self.0.lock().unwrap() = Some(weft::spawn(async {}));
    }
}

#[test]
fn destructors_that_wake_or_spawn_during_shutdown_do_not_deadlock() {
    for rt in runtimes() {
        let drops = Arc::new(AtomicUsize::new(0));
        let spawned_in_drop = Arc::new(Mutex::new(None));
        let (parked, waker_holder) = rt.block_on({
            let drops = drops.clone();
            let slot = spawned_in_drop.clone();
            async move {
                let (tx, rx) = mpsc::channel();
                let parked_polled = Latch::new();
                let parked = weft::spawn(Park(tx, parked_polled.clone()));
                parked_polled.wait().await;
                let guard = WakeOnDrop(Some(rx.recv().unwrap()), DropCounter(drops));
                let guards_live = Latch::new();
                let waker_holder = weft::spawn({
                    let guards_live = guards_live.clone();
                    async move {
                        let _guard = guard;
                        let _spawner = SpawnOnDrop(slot);
                        guards_live.open();
                        std::future::pending::<()>().await;
                    }
                });
                guards_live.wait().await;
                (parked, waker_holder)
            }
        });
        drop(rt);
        assert_eq!(drops.load(SeqCst), 1);
        assert!(parked.join_blocking().unwrap_err().is_cancelled());
        assert!(waker_holder.join_blocking().unwrap_err().is_cancelled());
        let late = spawned_in_drop
            .lock()
            .unwrap()
            .take()
            .expect("spawned during shutdown");
        assert!(late.join_blocking().unwrap_err().is_cancelled());
    }
}

/// A blocking job on `rt` that has started and runs until the sender is used.
fn stuck_blocking_job(rt: &weft::Runtime) -> (weft::Task<()>, mpsc::Sender<()>) {
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let stuck = rt.handle().spawn_blocking(move || {
        started_tx.send(()).unwrap();
        let _ = release_rx.recv();
    });
    started_rx.recv().unwrap();
    (stuck, release_tx)
}

#[test]
fn shutdown_timeout_returns_while_a_blocking_job_is_stuck() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let (stuck, release_tx) = stuck_blocking_job(&rt);
    rt.shutdown_timeout(std::time::Duration::from_millis(10));
    // The job runs on, detached; release it and it finishes normally.
    release_tx.send(()).unwrap();
    stuck.join_blocking().unwrap();
}

#[test]
fn shutdown_timeout_then_drop_does_not_wait_again() {
    // The drop that follows `shutdown_timeout` must not wait for the stuck job: this
    // test hung before shutdown became idempotent.
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let (stuck, release_tx) = stuck_blocking_job(&rt);
    rt.shutdown_timeout(std::time::Duration::ZERO);
    release_tx.send(()).unwrap();
    stuck.join_blocking().unwrap();
}

#[test]
fn block_on_inside_a_runtime_panics_naming_the_mistake() {
    let rt = Arc::new(weft::Runtime::builder().current_thread().build().unwrap());
    let inner = rt.clone();
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async { inner.block_on(async {}) });
    }))
    .unwrap_err();
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("Runtime::block_on"), "{msg}");
    assert!(msg.contains("already running a weft runtime"), "{msg}");
}

#[test]
fn block_on_on_a_worker_thread_panics_instead_of_deadlocking() {
    let rt = Arc::new(weft::Runtime::builder().worker_threads(2).build().unwrap());
    let inner = rt.clone();
    let err = rt
        .block_on(rt.spawn(async move { inner.block_on(async { 1 }) }))
        .unwrap_err();
    assert!(err.is_panic());
    assert!(
        err.to_string().contains("already running a weft runtime"),
        "{err}"
    );
}

#[test]
fn join_blocking_inside_a_runtime_panics_instead_of_deadlocking() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let err = rt
        .block_on(rt.spawn(async {
            let other = weft::spawn(async {});
            other.join_blocking().unwrap();
        }))
        .unwrap_err();
    assert!(err.to_string().contains("Task::join_blocking"), "{err}");
}
