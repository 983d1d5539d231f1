//! `spawn_blocking` / `to_thread`: values, panics, and no stalls.

use std::sync::{Arc, Condvar, Mutex};

#[test]
fn spawn_blocking_returns_the_value() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let out = rt.block_on(async {
        let a = weft::spawn_blocking(|| 40);
        let b = weft::to_thread(|| 2);
        a.await.unwrap() + b.await.unwrap()
    });
    assert_eq!(out, 42);
}

#[test]
fn a_panic_in_a_blocking_call_comes_back_as_is_panic() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let err = rt
        .block_on(
            rt.handle()
                .spawn_blocking(|| -> u8 { panic!("blocking boom") }),
        )
        .unwrap_err();
    assert!(err.is_panic());
    assert!(err.to_string().contains("blocking boom"));
    // The pool still works.
    assert_eq!(rt.block_on(rt.handle().spawn_blocking(|| 1)).unwrap(), 1);
}

/// A gate a blocking call can wait on.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    cvar: Condvar,
}

impl Gate {
    fn wait(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.cvar.wait(open).unwrap();
        }
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.cvar.notify_all();
    }
}

#[test]
fn sixty_four_blocked_calls_do_not_stall_async_tasks() {
    for rt in [
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ] {
        let gate = Arc::new(Gate::default());
        let blocked: Vec<_> = (0..64)
            .map(|i| {
                let gate = gate.clone();
                rt.handle().spawn_blocking(move || {
                    gate.wait();
                    i
                })
            })
            .collect();
        // While all 64 are blocked, async work still runs; only it opens the gate, so
        // a stall here would never finish.
        let opener = rt.block_on({
            let gate = gate.clone();
            async move {
                let mut sum = 0u64;
                for i in 0..1000u64 {
                    sum += weft::spawn(async move { i }).await.unwrap();
                    weft::yield_now().await;
                }
                gate.open();
                sum
            }
        });
        assert_eq!(opener, 499_500);
        let total: i32 = blocked
            .into_iter()
            .map(|t| t.join_blocking().unwrap())
            .sum();
        assert_eq!(total, (0..64).sum());
        assert!(rt.handle().metrics().blocking_threads() >= 64);
    }
}

#[test]
fn the_pool_caps_its_threads_and_queues_the_rest() {
    let rt = weft::Runtime::builder()
        .worker_threads(1)
        .max_blocking_threads(2)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| rt.handle().spawn_blocking(move || i))
        .collect();
    let sum: i32 = tasks.into_iter().map(|t| t.join_blocking().unwrap()).sum();
    assert_eq!(sum, 190);
    assert!(rt.handle().metrics().blocking_threads() <= 2);
}

#[test]
fn spawn_inside_a_blocking_call_reaches_the_runtime() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let out = rt.block_on(async {
        weft::spawn_blocking(|| weft::spawn(async { 11 }).join_blocking().unwrap())
            .await
            .unwrap()
    });
    assert_eq!(out, 11);
}

#[test]
fn idle_pool_threads_retire_after_keep_alive() {
    let rt = weft::Runtime::builder()
        .worker_threads(1)
        .thread_keep_alive(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    // A thread-local whose destructor reports the pool thread's exit.
    struct ReportExit(std::sync::mpsc::Sender<()>);
    impl Drop for ReportExit {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }
    thread_local! {
        static EXIT: std::cell::RefCell<Option<ReportExit>> = const { std::cell::RefCell::new(None) };
    }
    let (tx, rx) = std::sync::mpsc::channel();
    rt.handle()
        .spawn_blocking(move || EXIT.with(|e| *e.borrow_mut() = Some(ReportExit(tx))))
        .join_blocking()
        .unwrap();
    // Returns once the idle thread has retired on its own, with the runtime alive.
    rx.recv().unwrap();
    assert_eq!(rt.handle().metrics().blocking_threads(), 0);
}

#[test]
fn spawn_blocking_after_shutdown_is_cancelled_not_hung() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    let handle = rt.handle().clone();
    drop(rt);
    let task = handle.spawn_blocking(|| 1);
    assert!(task.join_blocking().unwrap_err().is_cancelled());
    let task = handle.spawn(async { 1 });
    assert!(task.join_blocking().unwrap_err().is_cancelled());
}
