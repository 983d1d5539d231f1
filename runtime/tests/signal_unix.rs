//! `weft::signal::unix`: every listener sees each delivery made after it subscribed,
//! none is lost between polls, several runtimes all see it, a shut-down runtime ends
//! its listeners, and signals that cannot be listened to are errors.
//!
//! Signals are process-wide and the tests of this binary run in parallel: each test
//! raises its own signal, one no other test here uses (nor any other binary's tests,
//! which run in other processes).

mod support;

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use support::poll_once;
use weft::signal::unix::{signal, Signal, SignalKind};
use weft::sync::Queue;

/// Far beyond any delivery's time on a loaded machine: only a lost delivery gets near.
const LOST: Duration = Duration::from_secs(60);

/// Raises `kind` at this thread; the handler has run when it returns.
fn raise(kind: SignalKind) {
    // SAFETY: raising a signal whose handler weft installed (a listener exists).
    assert_eq!(unsafe { libc::raise(kind.as_raw_value()) }, 0);
}

/// The next delivery, failing the test instead of hanging if it never comes.
async fn next(listener: &mut Signal) {
    let received = weft::time::timeout(LOST, listener.recv()).await;
    assert_eq!(
        received,
        Ok(Some(())),
        "{:?}: the delivery was lost",
        listener.kind()
    );
}

/// Polls `listener` once: whether a delivery was there.
async fn delivered_now(listener: &mut Signal) -> bool {
    poll_once(Box::pin(listener.recv())).await.is_some()
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_listener_sees_each_delivery() {
    let kind = SignalKind::user_defined1();
    let seen = Arc::new(Queue::new(0));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            // Subscribed here, before any raise below.
            let mut listener = signal(kind).unwrap();
            let seen = seen.clone();
            weft::spawn(async move {
                for round in 0..3 {
                    next(&mut listener).await;
                    seen.put(round).await.unwrap();
                }
            })
        })
        .collect();
    for round in 0..3 {
        raise(kind);
        // Every listener reports this round before the next raise: one delivery each.
        for _ in 0..4 {
            assert_eq!(seen.get().await.unwrap(), round);
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[weft::test]
async fn a_delivery_between_two_polls_is_not_lost() {
    let kind = SignalKind::user_defined2();
    let mut listener = signal(kind).unwrap();
    assert!(
        !delivered_now(&mut listener).await,
        "nothing was raised yet"
    );
    raise(kind);
    next(&mut listener).await;
    // And one raised before the listener was ever polled again.
    raise(kind);
    weft::yield_now().await;
    next(&mut listener).await;
}

#[weft::test]
async fn a_burst_between_polls_is_at_least_one_delivery() {
    let kind = SignalKind::from_raw(libc::SIGPROF);
    let mut listener = signal(kind).unwrap();
    for _ in 0..10 {
        raise(kind);
    }
    next(&mut listener).await;
}

#[weft::test]
async fn a_delivery_before_subscribing_is_not_seen() {
    let kind = SignalKind::window_change();
    let mut early = signal(kind).unwrap();
    raise(kind);
    next(&mut early).await; // dispatched: it is in the past now
    let mut late = signal(kind).unwrap();
    assert!(!delivered_now(&mut late).await);
    raise(kind);
    next(&mut late).await;
    next(&mut early).await;
}

#[weft::test]
async fn the_stream_yields_a_unit_per_delivery() {
    let kind = SignalKind::hangup();
    let mut listener = signal(kind).unwrap();
    raise(kind);
    let item = weft::time::timeout(
        LOST,
        poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut listener), cx)),
    )
    .await;
    assert_eq!(item, Ok(Some(())));
}

#[test]
fn two_runtimes_both_see_one_delivery() {
    let kind = SignalKind::alarm();
    let (subscribed_tx, subscribed_rx) = std::sync::mpsc::channel();
    let runtimes: Vec<_> = (0..2)
        .map(|i| {
            let subscribed_tx = subscribed_tx.clone();
            std::thread::spawn(move || {
                let rt = if i == 0 {
                    weft::Runtime::builder().current_thread().build().unwrap()
                } else {
                    weft::Runtime::builder().worker_threads(1).build().unwrap()
                };
                rt.block_on(async move {
                    let mut listener = signal(kind).unwrap();
                    subscribed_tx.send(()).unwrap();
                    next(&mut listener).await;
                });
            })
        })
        .collect();
    subscribed_rx.recv().unwrap();
    subscribed_rx.recv().unwrap();
    // Process-directed, as `kill` from a shell sends it: any thread may take it.
    // SAFETY: sending a signal weft handles (both runtimes listen) to ourselves.
    let sent = unsafe { libc::kill(libc::getpid(), kind.as_raw_value()) };
    assert_eq!(sent, 0);
    for runtime in runtimes {
        runtime.join().unwrap();
    }
}

#[test]
fn a_listener_ends_when_its_runtime_shuts_down() {
    // SIGURG: ignored by default and raised by nobody here.
    let kind = SignalKind::from_raw(libc::SIGURG);
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let mut listener = rt.block_on(async { signal(kind).unwrap() });
    drop(rt);
    let other = weft::Runtime::builder().current_thread().build().unwrap();
    assert_eq!(other.block_on(listener.recv()), None);
}

#[weft::test]
async fn a_runtime_that_listens_again_after_another_shut_down_still_gets_deliveries() {
    let kind = SignalKind::io();
    // A runtime that listened and shut down leaves a closed watch behind.
    std::thread::spawn(move || {
        let rt = weft::Runtime::builder().current_thread().build().unwrap();
        rt.block_on(async { drop(signal(kind).unwrap()) });
    })
    .join()
    .unwrap();
    let mut listener = signal(kind).unwrap();
    raise(kind);
    next(&mut listener).await;
}

#[weft::test]
async fn signals_that_cannot_be_listened_to_are_invalid_input() {
    let refused = [
        libc::SIGKILL,
        libc::SIGSTOP,
        libc::SIGSEGV,
        libc::SIGILL,
        libc::SIGFPE,
        0,
        -1,
        65,
        i32::MAX,
    ];
    for signum in refused {
        let err = signal(SignalKind::from_raw(signum)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{signum}: {err}");
    }
}

#[weft::test]
async fn a_number_the_os_reserves_is_an_error_not_a_panic() {
    // glibc keeps 32 and 33 for its threads; sigaction refuses them.
    let err = signal(SignalKind::from_raw(32)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
}

#[test]
fn outside_a_runtime_signal_is_an_error() {
    let err = signal(SignalKind::user_defined1()).unwrap_err();
    assert!(err.to_string().contains("outside a weft runtime"), "{err}");
}

#[test]
fn signal_kinds_name_their_signal() {
    assert_eq!(format!("{:?}", SignalKind::terminate()), "SIGTERM");
    assert_eq!(format!("{:?}", SignalKind::from_raw(40)), "signal 40");
    assert_eq!(i32::from(SignalKind::child()), libc::SIGCHLD);
    assert_eq!(SignalKind::from(libc::SIGQUIT), SignalKind::quit());
    assert_eq!(SignalKind::pipe().as_raw_value(), libc::SIGPIPE);
}

#[test]
fn a_listener_is_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Signal>();
    fn future_is_send<F: std::future::Future + Send>(_: F) {}
    future_is_send(weft::signal::ctrl_c());
}
