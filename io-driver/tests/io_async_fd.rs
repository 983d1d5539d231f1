//! `AsyncFd`: a raw descriptor on the reactor — readiness waits, clearing on
//! `WouldBlock`, many waiters, `into_inner`, errors, shutdown.

mod executor;

use futures_lite::future::poll_once;
use std::future::Future;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Wake, Waker};
use std::time::Duration;
use weft_io::io::unix::AsyncFd;
use weft_io::{Reactor, RuntimeShutdown};

/// A non-blocking socket pair: the first end wrapped, the second plain.
fn pair() -> (AsyncFd<UnixStream>, UnixStream) {
    let (ours, theirs) = UnixStream::pair().unwrap();
    ours.set_nonblocking(true).unwrap();
    (AsyncFd::new(ours).unwrap(), theirs)
}

/// Reads what is there through the guard loop a user writes.
async fn read(fd: &AsyncFd<UnixStream>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        let mut guard = fd.readable().await?;
        if let Ok(result) = guard.try_io(|fd| fd.get_ref().read(buf)) {
            return result;
        }
    }
}

#[test]
fn readable_waits_for_data_and_try_io_reads_it() {
    executor::run(|ex| async move {
        let (fd, mut theirs) = pair();
        let writer = ex.spawn(async move {
            theirs.write_all(b"ping").unwrap();
            theirs
        });
        let mut buf = [0; 16];
        let n = read(&fd, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"ping");
        drop(writer.await);
        assert_eq!(read(&fd, &mut buf).await.unwrap(), 0, "EOF after close");
    });
}

#[test]
fn would_block_clears_readiness_until_the_next_event() {
    executor::run(|_ex| async move {
        let (fd, mut theirs) = pair();
        theirs.write_all(b"a").unwrap();
        let mut buf = [0; 16];
        assert_eq!(read(&fd, &mut buf).await.unwrap(), 1);
        // Drained: the next try says WouldBlock and clears; the wait then blocks.
        let mut guard = fd.readable().await.unwrap();
        assert!(guard.try_io(|fd| fd.get_ref().read(&mut buf)).is_err());
        drop(guard);
        assert!(
            poll_once(fd.readable()).await.is_none(),
            "readiness was not cleared"
        );
        theirs.write_all(b"b").unwrap();
        assert_eq!(read(&fd, &mut buf).await.unwrap(), 1);
    });
}

#[test]
fn a_guard_dropped_without_a_clear_leaves_the_descriptor_ready() {
    executor::run(|_ex| async move {
        let (fd, mut theirs) = pair();
        theirs.write_all(b"a").unwrap();
        drop(fd.readable().await.unwrap());
        assert!(poll_once(fd.readable()).await.is_some());
    });
}

/// Counts its wakes.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn every_future_waiting_on_readable_is_woken_by_one_event() {
    let mut reactor = Reactor::new().unwrap();
    let _entered = reactor.handle().enter();
    let (fd, mut theirs) = pair();
    let count = Arc::new(Count::default());
    let waker = Waker::from(count.clone());
    let mut cx = Context::from_waker(&waker);
    let mut waits: Vec<_> = (0..5).map(|_| Box::pin(fd.readable())).collect();
    for wait in &mut waits {
        assert!(wait.as_mut().poll(&mut cx).is_pending());
    }
    theirs.write_all(b"x").unwrap();
    reactor.turn(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(
        count.0.load(Ordering::SeqCst),
        5,
        "one waiter's wake was lost"
    );
    for wait in &mut waits {
        assert!(wait.as_mut().poll(&mut cx).is_ready());
    }
}

#[test]
fn only_the_last_poll_read_ready_caller_is_woken() {
    let mut reactor = Reactor::new().unwrap();
    let _entered = reactor.handle().enter();
    let (fd, mut theirs) = pair();
    let first = Arc::new(Count::default());
    let last = Arc::new(Count::default());
    for count in [&first, &last] {
        let waker = Waker::from(count.clone());
        assert!(fd
            .poll_read_ready(&mut Context::from_waker(&waker))
            .is_pending());
    }
    theirs.write_all(b"x").unwrap();
    reactor.turn(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(first.0.load(Ordering::SeqCst), 0);
    assert_eq!(last.0.load(Ordering::SeqCst), 1);
}

#[test]
fn writable_is_ready_on_an_empty_socket() {
    executor::run(|_ex| async move {
        let (fd, mut theirs) = pair();
        let mut guard = fd.writable().await.unwrap();
        let n = guard
            .try_io(|fd| fd.get_ref().write(b"hello"))
            .expect("writable")
            .unwrap();
        assert_eq!(n, 5);
        let mut buf = [0; 5];
        theirs.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hello");
    });
}

#[test]
fn into_inner_deregisters_and_keeps_the_descriptor_open() {
    executor::run_with_reactor(|_ex, handle| async move {
        let (fd, mut theirs) = pair();
        assert_eq!(handle.registrations(), 1);
        let ours = fd.into_inner();
        assert_eq!(handle.registrations(), 0);
        theirs.write_all(b"still open").unwrap();
        let mut buf = [0; 10];
        (&ours).read_exact(&mut buf).unwrap();
        // Registering again works: the first registration is gone from the OS too.
        let again = AsyncFd::new(ours).unwrap();
        assert_eq!(handle.registrations(), 1);
        drop(again);
        assert_eq!(handle.registrations(), 0);
    });
}

#[test]
fn a_regular_file_is_refused_with_the_os_error() {
    executor::run(|_ex| async move {
        let file = std::fs::File::open("/proc/self/status").unwrap();
        let err = AsyncFd::new(file).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EPERM), "{err}");
    });
}

#[test]
fn outside_a_reactor_new_fails_with_an_error_saying_so() {
    let (ours, _theirs) = UnixStream::pair().unwrap();
    let err = AsyncFd::new(ours).unwrap_err();
    assert!(err.to_string().contains("no weft reactor"), "{err}");
}

#[test]
fn waits_fail_once_the_reactor_shuts_down() {
    let mut reactor = Reactor::new().unwrap();
    let handle = reactor.handle();
    let _entered = handle.enter();
    let (fd, _theirs) = pair();
    let pending = executor::block_on(&mut reactor, poll_once(fd.readable()));
    assert!(pending.is_none());
    handle.shutdown();
    let err = executor::block_on(&mut reactor, fd.readable()).unwrap_err();
    assert!(RuntimeShutdown::is(&err), "{err}");
}

#[test]
fn the_descriptor_is_the_wrapped_values() {
    executor::run(|_ex| async move {
        let (fd, _theirs) = pair();
        assert_eq!(fd.as_raw_fd(), fd.get_ref().as_raw_fd());
    });
}
