//! Loom models of `weft_io::io::split` (the generic split, `io-driver/src/io/split.rs`):
//! a reader and a writer polling their halves from two threads while readiness
//! arrives, over a stream that keeps ONE waker for both directions — the worst stream
//! the split promises to work on. With each half's waker handed to the stream as it
//! is, the writer's poll would overwrite the reader's waker and a read readiness would
//! wake the writer only; the joint waker (split rules 2–4) must wake both.
//!
//! Run: `RUSTFLAGS="--cfg weft_loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release -p
//! weft-loom-tests --test io_split`.
#![cfg(weft_loom)]

use loom::future::block_on;
use loom::sync::{Arc, Mutex};
use loom::thread;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use weft_io::io::{split, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The stream's state: what is ready, and the one waker it keeps (the latest caller's).
#[derive(Default)]
struct Readiness {
    readable: bool,
    writable: bool,
    waker: Option<Waker>,
}

/// A duplex stream with a single waker slot for both directions.
struct OneWakerStream(Arc<Mutex<Readiness>>);

impl OneWakerStream {
    /// Ready if `ready` says so, else keeps `cx`'s waker (replacing any other).
    fn poll_ready(
        &self,
        cx: &Context<'_>,
        ready: fn(&Readiness) -> bool,
    ) -> Poll<io::Result<usize>> {
        let mut state = self.0.lock().unwrap();
        if ready(&state) {
            Poll::Ready(Ok(1))
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl AsyncRead for OneWakerStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let polled = self.poll_ready(cx, |state| state.readable);
        if polled.is_ready() {
            buf[0] = b'r';
        }
        polled
    }
}

impl AsyncWrite for OneWakerStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        _buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_ready(cx, |state| state.writable)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Makes the stream ready as `make_ready` says, then wakes the one waker it kept, as
/// a reactor would: outside the stream's lock.
fn deliver(state: &Mutex<Readiness>, make_ready: fn(&mut Readiness)) {
    let waker = {
        let mut state = state.lock().unwrap();
        make_ready(&mut state);
        state.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// A reader and a writer block on their halves in two threads; readability and then
/// writability arrive, each waking only the waker the stream kept. Both finish: a
/// lost wakeup would leave one blocked forever, which loom reports as a deadlock.
#[test]
fn a_reader_and_a_writer_on_two_threads_are_both_woken() {
    loom::model(|| {
        let state = Arc::new(Mutex::new(Readiness::default()));
        let (mut reader, mut writer) = split(OneWakerStream(state.clone()));

        let reading = thread::spawn(move || {
            let mut buf = [0; 1];
            let n = block_on(reader.read(&mut buf)).unwrap();
            (n, buf[0], reader)
        });
        let writing = thread::spawn(move || {
            let n = block_on(writer.write(b"w")).unwrap();
            (n, writer)
        });

        deliver(&state, |ready| ready.readable = true);
        deliver(&state, |ready| ready.writable = true);

        let (read, byte, reader) = reading.join().unwrap();
        let (written, writer) = writing.join().unwrap();
        assert_eq!((read, byte, written), (1, b'r', 1));
        assert!(reader.reunite(writer).is_ok());
    });
}

/// The same race with the writer's readiness first: whichever direction the stream's
/// one wake is for, the other half's task is not forgotten.
#[test]
fn a_writer_woken_first_does_not_strand_the_reader() {
    loom::model(|| {
        let state = Arc::new(Mutex::new(Readiness::default()));
        let (mut reader, mut writer) = split(OneWakerStream(state.clone()));

        let reading = thread::spawn(move || {
            let mut buf = [0; 1];
            block_on(reader.read(&mut buf)).unwrap()
        });
        let writing = thread::spawn(move || block_on(writer.write(b"w")).unwrap());

        deliver(&state, |ready| ready.writable = true);
        deliver(&state, |ready| ready.readable = true);

        assert_eq!(reading.join().unwrap(), 1);
        assert_eq!(writing.join().unwrap(), 1);
    });
}
