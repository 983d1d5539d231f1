//! Eager tasks: polled inline at spawn; finished there, never queued.

mod support;

use std::time::Duration;
use support::paused_runtime;

#[test]
fn an_eager_task_that_finishes_inline_is_never_queued() {
    for rt in [
        weft::Runtime::builder().current_thread().build().unwrap(),
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
    ] {
        // Spawned from a plain thread: no block_on, no task of ours is polled meanwhile.
        let before = rt.handle().metrics().total();
        let task = weft::task::Builder::new()
            .eager(true)
            .spawn_on(async { 11 }, rt.handle());
        assert!(task.is_finished(), "finished inside spawn");
        let after = rt.handle().metrics().total();
        assert_eq!(after.polls, before.polls, "no worker ever polled it");
        assert_eq!(after.injector_pops, before.injector_pops, "never queued");
        assert_eq!(task.join_blocking().unwrap(), 11);
    }
}

#[test]
fn an_eager_task_that_waits_goes_on_as_a_normal_task() {
    let rt = paused_runtime();
    rt.block_on(async {
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let task = weft::task::Builder::new().eager(true).spawn({
            let order = order.clone();
            async move {
                order.lock().unwrap().push("eager part");
                weft::time::sleep(Duration::from_millis(5)).await;
                order.lock().unwrap().push("after the wait");
            }
        });
        // The eager part ran inside spawn, before this line.
        order.lock().unwrap().push("spawner");
        task.await.unwrap();
        assert_eq!(
            *order.lock().unwrap(),
            ["eager part", "spawner", "after the wait"]
        );
    });
}

#[test]
fn eager_tasks_on_the_runtime_make_every_spawn_eager_unless_told() {
    let rt = weft::Runtime::builder()
        .current_thread()
        .eager_tasks(true)
        .build()
        .unwrap();
    rt.block_on(async {
        assert!(weft::spawn(async {}).is_finished());
        let lazy = weft::task::Builder::new().eager(false).spawn(async {});
        assert!(!lazy.is_finished());
        lazy.await.unwrap();
    });
}

#[test]
fn a_panic_in_the_eager_part_is_the_tasks_panic_not_the_spawners() {
    let rt = paused_runtime();
    rt.block_on(async {
        let task = weft::task::Builder::new().eager(true).spawn(async {
            if true {
                panic!("eager boom");
            }
        });
        assert!(task.await.unwrap_err().is_panic());
    });
}
