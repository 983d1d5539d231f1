//! A panic that unwinds out of `block_on` leaves the runtime as it was: a later
//! `block_on` — on this thread or another — runs tasks again, and a thread that was
//! waiting to drive the current-thread runtime at the time of the panic takes over.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use weft::sync::Event;

/// How long a test waits before it calls the runtime wedged.
const WEDGED: Duration = Duration::from_secs(30);

fn runtimes() -> [(&'static str, weft::Runtime); 2] {
    [
        (
            "current_thread",
            weft::Runtime::builder().current_thread().build().unwrap(),
        ),
        (
            "multi_thread",
            weft::Runtime::builder().worker_threads(2).build().unwrap(),
        ),
    ]
}

fn panic_out_of_block_on(rt: &weft::Runtime) {
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async {
            let _spawned = weft::spawn(std::future::pending::<()>());
            panic!("the block_on future panics");
        })
    }));
    assert!(unwound.is_err());
}

/// Runs `f` on a thread of its own and returns its result, failing the test if it has
/// not returned within `WEDGED`.
fn within_limit<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(WEDGED)
        .unwrap_or_else(|_| panic!("{what}: block_on hangs after a panic"))
}

#[test]
fn after_a_panic_out_of_block_on_this_thread_runs_tasks_again() {
    for (flavour, rt) in runtimes() {
        let out = within_limit(flavour, move || {
            panic_out_of_block_on(&rt);
            rt.block_on(async { weft::spawn(async { 6 * 7 }).await.unwrap() })
        });
        assert_eq!(out, 42, "{flavour}");
    }
}

#[test]
fn after_a_panic_out_of_block_on_another_thread_runs_tasks() {
    for (flavour, rt) in runtimes() {
        let rt = Arc::new(rt);
        panic_out_of_block_on(&rt);
        let out = within_limit(flavour, move || {
            rt.block_on(async { weft::spawn(async { 6 * 7 }).await.unwrap() })
        });
        assert_eq!(out, 42, "{flavour}");
    }
}

#[test]
fn a_thread_waiting_to_drive_takes_over_when_the_driver_panics() {
    let rt = Arc::new(weft::Runtime::builder().current_thread().build().unwrap());
    let waiting = Arc::new(Event::new());
    let go = Arc::new(Event::new());
    let (task_tx, task_rx) = mpsc::channel();
    let driver = {
        let (rt, waiting, go) = (rt.clone(), waiting.clone(), go.clone());
        thread::spawn(move || {
            catch_unwind(AssertUnwindSafe(|| {
                rt.block_on(async {
                    // Runs only once the other thread lets it: after the panic, or about
                    // then, so a driver must be there to run it.
                    let task = weft::spawn(async move {
                        go.wait().await;
                        6 * 7
                    });
                    task_tx.send(task).unwrap();
                    // The other thread is inside block_on, waiting for this one to leave.
                    waiting.wait().await;
                    panic!("the driver's future panics");
                })
            }))
        })
    };
    let task = task_rx.recv().unwrap();
    let out = within_limit("current_thread", move || {
        rt.block_on(async move {
            waiting.set();
            go.set();
            task.await.unwrap()
        })
    });
    assert_eq!(out, 42);
    assert!(driver.join().unwrap().is_err());
}
