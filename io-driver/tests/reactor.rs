//! The reactor's contract with the runtime: turning, unparking, entering, shutdown.

mod executor;

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::Duration;
use weft_io::io::{AsyncReadExt, AsyncWriteExt};
use weft_io::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixStream};
use weft_io::{Reactor, ReactorHandle, RuntimeShutdown};

fn is_shut_down_error(err: &io::Error) -> bool {
    RuntimeShutdown::is(err) && err.to_string().contains("shut down")
}

#[test]
fn an_unpark_before_a_turn_makes_that_turn_return() {
    let mut reactor = Reactor::new().unwrap();
    reactor.handle().unpark();
    reactor.turn(None).unwrap();
}

#[test]
fn an_unpark_after_a_consumed_unpark_is_not_lost() {
    let mut reactor = Reactor::new().unwrap();
    let handle = reactor.handle();
    handle.unpark();
    handle.unpark();
    reactor.turn(None).unwrap();
    handle.unpark();
    reactor.turn(None).unwrap();
}

#[test]
fn an_unpark_from_another_thread_ends_a_blocked_turn() {
    let mut reactor = Reactor::new().unwrap();
    let handle = reactor.handle();
    let unparker = std::thread::spawn(move || handle.unpark());
    reactor.turn(None).unwrap();
    unparker.join().unwrap();
}

#[test]
fn a_turn_with_a_zero_timeout_returns_when_nothing_happened() {
    let mut reactor = Reactor::new().unwrap();
    reactor.turn(Some(Duration::ZERO)).unwrap();
}

#[test]
fn enter_guards_nest_and_restore_the_previous_reactor() {
    let outer = Reactor::new().unwrap();
    let inner = Reactor::new().unwrap();
    let outer_guard = outer.handle().enter();
    {
        let _inner_guard = inner.handle().enter();
        let _sockets = UnixDatagram::pair().unwrap();
        assert_eq!(inner.handle().registrations(), 2);
        assert_eq!(outer.handle().registrations(), 0);
    }
    let _sockets = UnixDatagram::pair().unwrap();
    assert_eq!(outer.handle().registrations(), 2);
    drop(outer_guard);
    assert!(UnixDatagram::pair().is_err(), "a reactor is still current");
}

#[test]
fn a_socket_made_outside_a_reactor_is_an_error_that_says_to_use_a_runtime() {
    let err = UnixDatagram::pair().unwrap_err();
    assert!(err.to_string().contains("weft runtime"), "{err}");
}

#[test]
fn dropping_a_socket_frees_its_registration() {
    let reactor = Reactor::new().unwrap();
    let _guard = reactor.handle().enter();
    let pair = UnixStream::pair().unwrap();
    assert_eq!(reactor.handle().registrations(), 2);
    drop(pair);
    assert_eq!(reactor.handle().registrations(), 0);
}

#[test]
fn shutdown_fails_a_pending_accept_and_a_pending_read() {
    executor::run_with_reactor(|ex, reactor| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (mut quiet, _other) = UnixStream::pair().unwrap();
        let started = Rc::new(Cell::new(0));
        let accept = ex.spawn({
            let started = started.clone();
            async move {
                started.set(started.get() + 1);
                listener.accept().await.map(|_| ())
            }
        });
        let read = ex.spawn({
            let started = started.clone();
            async move {
                started.set(started.get() + 1);
                quiet.read(&mut [0; 8]).await
            }
        });
        // Each task counts itself in the poll that parks it on the socket: once both
        // have, both wait on the reactor.
        while started.get() < 2 {
            futures_lite::future::yield_now().await;
        }
        reactor.shutdown();
        let accept_err = accept.await.unwrap_err();
        let read_err = read.await.unwrap_err();
        assert!(is_shut_down_error(&accept_err), "{accept_err}");
        assert!(is_shut_down_error(&read_err), "{read_err}");
    });
}

#[test]
fn operations_after_shutdown_fail_even_with_data_waiting() {
    executor::run_with_reactor(|_ex, reactor| async move {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_all(b"waiting").await.unwrap();
        let mut first = [0; 1];
        b.read_exact(&mut first).await.unwrap(); // `b` has seen readiness
        reactor.shutdown();
        let read = b.read(&mut [0; 8]).await.unwrap_err();
        let write = a.write(b"more").await.unwrap_err();
        let shutdown = a.shutdown(std::net::Shutdown::Write).unwrap_err();
        for err in [read, write, shutdown] {
            assert!(is_shut_down_error(&err), "{err}");
        }
    });
}

#[test]
fn sockets_cannot_be_created_after_shutdown() {
    executor::run_with_reactor(|_ex, reactor| async move {
        reactor.shutdown();
        let bind = UdpSocket::bind("127.0.0.1:0").await.unwrap_err();
        let connect = TcpStream::connect("127.0.0.1:9").await.unwrap_err();
        for err in [bind, connect] {
            assert!(is_shut_down_error(&err), "{err}");
        }
    });
}

#[test]
fn dropping_the_reactor_shuts_its_sockets_down() {
    let reactor = Reactor::new().unwrap();
    let guard = reactor.handle().enter();
    let (mut a, _b) = UnixStream::pair().unwrap();
    drop(guard);
    drop(reactor);
    let mut buf = [0; 8];
    let polled = futures_lite::future::block_on(futures_lite::future::poll_once(a.read(&mut buf)));
    match polled {
        Some(Err(err)) => assert!(is_shut_down_error(&err), "{err}"),
        other => panic!("expected the shut-down error at once, got {other:?}"),
    }
}

#[test]
fn shutdown_twice_is_harmless() {
    let reactor = Reactor::new().unwrap();
    reactor.handle().shutdown();
    reactor.handle().shutdown();
    assert!(reactor.handle().is_shutdown());
}

#[test]
fn a_turn_on_another_thread_wakes_a_task_blocked_on_this_one() {
    let mut reactor = Reactor::new().unwrap();
    let handle = reactor.handle();
    let _guard = handle.enter();
    let (mut a, mut b) = UnixStream::pair().unwrap();

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let turner = std::thread::spawn({
        let stop = stop.clone();
        move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                reactor.turn(None).unwrap();
            }
        }
    });
    let writer = std::thread::spawn(move || {
        futures_lite::future::block_on(b.write_all(b"across threads")).unwrap();
        b
    });

    let mut buf = [0; 14];
    futures_lite::future::block_on(a.read_exact(&mut buf)).unwrap();
    assert_eq!(&buf, b"across threads");

    let _b = writer.join().unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    handle.unpark();
    turner.join().unwrap();
}
