//! Panics in tasks are caught; the runtime lives on.

#[test]
fn a_panicking_task_reports_is_panic_and_the_runtime_stays_usable() {
    for rt in [
        weft::Runtime::builder().worker_threads(2).build().unwrap(),
        weft::Runtime::builder().current_thread().build().unwrap(),
    ] {
        rt.block_on(async {
            let err = weft::spawn(async { panic!("task failed on purpose") })
                .await
                .unwrap_err();
            assert!(err.is_panic());
            assert!(!err.is_cancelled());
            assert!(err.to_string().contains("task failed on purpose"), "{err}");
            let payload = err.into_panic();
            assert_eq!(
                payload.downcast_ref::<&str>(),
                Some(&"task failed on purpose")
            );
            // Still runs tasks afterwards, on every worker.
            let tasks: Vec<_> = (0..100).map(|i| weft::spawn(async move { i })).collect();
            let mut sum = 0;
            for t in tasks {
                sum += t.await.unwrap();
            }
            assert_eq!(sum, 4950);
        });
    }
}

#[test]
fn a_panic_with_a_string_payload_is_reported() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let err = rt
        .block_on(rt.spawn(async {
            let n = 3;
            panic!("formatted {n}")
        }))
        .unwrap_err();
    assert!(err.to_string().contains("formatted 3"));
    assert_eq!(
        err.into_panic().downcast_ref::<String>().unwrap(),
        "formatted 3"
    );
}

#[test]
fn a_detached_panicking_task_does_not_take_the_worker_down() {
    let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    for _ in 0..10 {
        drop(rt.spawn(async { panic!("detached") }));
    }
    assert_eq!(rt.block_on(rt.spawn(async { 5 })).unwrap(), 5);
}

#[test]
fn a_panicking_destructor_after_ready_is_reported_as_a_panic() {
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            panic!("drop panicked");
        }
    }
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let err = rt
        .block_on(rt.spawn(async {
            let _guard = PanicOnDrop;
            1
        }))
        .unwrap_err();
    assert!(err.is_panic());
}

#[test]
fn try_into_panic_gives_a_cancelled_error_back() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let task = rt.spawn(std::future::pending::<()>());
    task.cancel();
    let err = rt.block_on(task).unwrap_err();
    assert!(err.is_cancelled());
    let err = err.try_into_panic().unwrap_err();
    assert!(err.is_cancelled());
}
