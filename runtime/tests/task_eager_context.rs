//! An eager task's first poll runs inside `weft::spawn`; what it does to the thread's
//! runtime context — entering another runtime's handle, dropping a runtime — works as
//! it does anywhere else in a task.

use std::sync::mpsc;
use std::time::Duration;

fn flavours() -> [(&'static str, weft::Runtime); 2] {
    [
        (
            "current_thread",
            weft::Runtime::builder()
                .current_thread()
                .eager_tasks(true)
                .build()
                .unwrap(),
        ),
        (
            "multi_thread",
            weft::Runtime::builder()
                .worker_threads(2)
                .eager_tasks(true)
                .build()
                .unwrap(),
        ),
    ]
}

#[test]
fn an_eager_task_may_enter_another_runtimes_handle_in_its_first_poll() {
    let other_rt = weft::Runtime::builder().current_thread().build().unwrap();
    for (flavour, rt) in flavours() {
        let other = other_rt.handle().clone();
        // The task comes back in a `Vec`: an async block should not yield a future.
        let mut spawned_there = rt.block_on(async move {
            weft::spawn(async move {
                let _entered = other.enter();
                // `weft::spawn` now spawns on the entered runtime.
                vec![weft::spawn(async { 5 })]
            })
            .await
            .unwrap()
        });
        let spawned_there = spawned_there.pop().unwrap();
        // A current-thread runtime runs its tasks inside its own block_on.
        assert_eq!(other_rt.block_on(spawned_there).unwrap(), 5, "{flavour}");
    }
}

/// The names of this process's threads (`/proc/self/task/*/comm`).
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path().join("comm")).ok())
        .map(|name| name.trim_end().to_owned())
        .collect()
}

#[test]
fn an_eager_task_that_drops_a_runtime_in_its_first_poll_stops_its_workers() {
    for (flavour, rt) in flavours() {
        let victim = weft::Runtime::builder()
            .worker_threads(2)
            .thread_name("eager-victim")
            .build()
            .unwrap();
        // A task of the victim's whose future is dropped only by its shutdown.
        let (dropped_tx, dropped_rx) = mpsc::channel::<()>();
        let _parked = victim.spawn(async move {
            let _signal_on_drop = dropped_tx;
            std::future::pending::<()>().await
        });
        let (done_tx, done_rx) = mpsc::channel();
        rt.block_on(async move {
            weft::spawn(async move {
                drop(victim);
                done_tx.send(()).unwrap();
            })
            .await
            .unwrap();
        });
        done_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{flavour}: the drop never returned"));
        assert_eq!(
            dropped_rx.try_recv(),
            Err(mpsc::TryRecvError::Disconnected),
            "{flavour}: the dropped runtime did not shut its tasks down"
        );
        assert!(
            !thread_names().iter().any(|name| name == "eager-victim"),
            "{flavour}: the dropped runtime's workers still run"
        );
    }
}
