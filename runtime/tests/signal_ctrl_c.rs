//! `weft::signal::ctrl_c`: a Ctrl-C (SIGINT) after the future first polled completes
//! it. Its own binary: once weft handles SIGINT, Ctrl-C no longer ends this process.

use std::future::Future;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[test]
fn ctrl_c_returns_after_a_sigint() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        // Eager: the first poll, which subscribes, runs inside `spawn`.
        let ctrl_c = weft::task::Builder::new()
            .eager(true)
            .spawn(weft::signal::ctrl_c());
        // SAFETY: raising SIGINT at ourselves; weft handles it now.
        assert_eq!(unsafe { libc::raise(libc::SIGINT) }, 0);
        let done = weft::time::timeout(Duration::from_secs(60), ctrl_c).await;
        done.expect("the Ctrl-C was lost").unwrap().unwrap();
    });
}

#[test]
fn ctrl_c_outside_a_runtime_is_an_error() {
    let mut ctrl_c = Box::pin(weft::signal::ctrl_c());
    let mut cx = Context::from_waker(Waker::noop());
    match ctrl_c.as_mut().poll(&mut cx) {
        Poll::Ready(Err(err)) => {
            assert!(err.to_string().contains("outside a weft runtime"), "{err}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
}
