//! [`split`]: any duplex stream — a TLS stream, an in-memory pipe, a socket — as a read
//! half and a write half that two tasks can own: asyncio's reader/writer pair for
//! every stream.
//!
//! Sockets have a cheaper split of their own ([`TcpStream::into_split`]): their reads
//! and writes go through `&self` with a waiter slot per direction, so their halves
//! share the socket without any lock. A generic stream needs `&mut` for every call, so
//! its halves share it behind a lock, and — because a generic stream may keep a single
//! waker for both directions, or wait for writability inside a read (TLS sends alerts
//! from its read path) — behind one *joint waker*.
//!
//! [`TcpStream::into_split`]: crate::net::TcpStream::into_split
//!
//! # Rules
//!
//! 1. A half holds the stream's lock for exactly one call into the stream (one
//!    `poll_read`, `poll_write`, `poll_flush` or `poll_close`), never across a
//!    `Pending`. Contention therefore blocks for the length of the other half's call
//!    (these calls never block) and never makes a half return `Pending`: no wakeup can
//!    hang on the lock.
//! 2. The stream only ever sees the joint waker, never a task's own. Before each call,
//!    a half records its task's waker in its own slot (read or write), keeping the one
//!    already there if it `will_wake` the same task.
//! 3. Waking the joint waker takes the wakers out of both slots under the slot lock and
//!    wakes them after unlocking. Whatever the stream did with the joint waker — kept
//!    one for both directions, kept the latest caller's only, woken it from inside a
//!    call — both halves that wait are woken: at worst one wakes for nothing and polls
//!    again, never is one forgotten.
//! 4. Rule 2's order — record, *then* call the stream — is what makes rule 3 complete:
//!    any wake the stream delivers for a registration made during the call finds the
//!    caller's waker already recorded. A slot is emptied only by a wake that wakes it.
//! 5. The halves close nothing on their own: dropping a [`WriteHalf`] does not shut the
//!    stream's write direction (that needs an `await`; TLS must send `close_notify`).
//!    Close it with `close().await`. The stream is dropped with the last half.
//! 6. [`ReadHalf::reunite`] gives the stream back only for the two halves of one
//!    split; other halves come back in the error, untouched.
//!
//! The loom model `loom-tests/tests/io_split.rs` checks rules 1–4 against a stream
//! that keeps a single waker for both directions.

use crate::loom::{Arc, Mutex};
use futures_io::{AsyncRead, AsyncWrite};
use std::error::Error;
use std::fmt;
use std::io::{self, IoSlice, IoSliceMut};
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};

/// Splits `stream` into a read half and a write half that two tasks can own and poll
/// at once; [`ReadHalf::reunite`] puts them back together.
///
/// Works on any `AsyncRead + AsyncWrite + Unpin` stream: a TLS stream, a
/// [`BufReader`](crate::io::BufReader)'s inner stream, an in-memory pipe. For
/// [`TcpStream`](crate::net::TcpStream) and [`UnixStream`](crate::net::UnixStream),
/// their own `into_split` is cheaper (no lock) and half-closes on drop.
///
/// Each call through a half holds a lock for the length of that one call (rule 1), so
/// a reader and a writer in different tasks never lose a wakeup and never wait for
/// each other beyond one call.
///
/// ```
/// use weft_io::io::{split, AsyncReadExt, AsyncWriteExt};
///
/// # futures_lite::future::block_on(async {
/// // Any duplex stream; an in-memory cursor here.
/// let stream = futures_lite::io::Cursor::new(b"ping".to_vec());
/// let (mut reader, mut writer) = split(stream);
/// let mut buf = [0; 4];
/// reader.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// writer.write_all(b"pong").await?;
/// let stream = reader.reunite(writer).expect("the two halves of one split");
/// assert_eq!(stream.into_inner(), b"pingpong");
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
pub fn split<T>(stream: T) -> (ReadHalf<T>, WriteHalf<T>)
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    let wakers = std::sync::Arc::new(HalfWakers {
        slots: Mutex::new([None, None]),
    });
    let shared = Arc::new(Shared {
        stream: Mutex::new(stream),
        joint: Waker::from(wakers.clone()),
        wakers,
    });
    (
        ReadHalf {
            shared: shared.clone(),
        },
        WriteHalf { shared },
    )
}

/// The reading half of a stream, from [`split`]: implements [`AsyncRead`], so a
/// [`BufReader`](crate::io::BufReader) over it is asyncio's `StreamReader`.
#[must_use = "dropping the read half gives up reading; the stream closes with the last half"]
pub struct ReadHalf<T> {
    shared: Arc<Shared<T>>,
}

/// The writing half of a stream, from [`split`]: implements [`AsyncWrite`] (asyncio's
/// `StreamWriter`).
///
/// Dropping it closes nothing (rule 5): call [`close`](crate::io::AsyncWriteExt::close)
/// to shut the write direction down — for a TLS stream, to send `close_notify`.
#[must_use = "dropping the write half does not close the stream; close it with `close().await`"]
pub struct WriteHalf<T> {
    shared: Arc<Shared<T>>,
}

/// What the two halves share.
struct Shared<T> {
    /// The stream, locked for one call at a time (rule 1).
    stream: Mutex<T>,
    /// The one waker the stream ever sees (rule 2); wakes `wakers`.
    joint: Waker,
    /// The halves' own wakers (rule 3).
    wakers: std::sync::Arc<HalfWakers>,
}

/// Which half is calling: the index of its waker slot.
#[derive(Clone, Copy)]
enum Half {
    Read = 0,
    Write = 1,
}

/// The waker of the task behind each half; the joint waker wakes both (rule 3).
///
/// A `std` `Arc` (not the loom facade's), because `Waker::from` takes one; the slots
/// inside are the facade's lock, so the models see every access to them.
struct HalfWakers {
    slots: Mutex<[Option<Waker>; 2]>,
}

impl HalfWakers {
    /// Records the calling task's waker for `half` (rule 2). A displaced waker is
    /// dropped after unlocking.
    fn record(&self, half: Half, waker: &Waker) {
        let displaced = {
            let mut slots = self.slots.lock();
            let slot = &mut slots[half as usize];
            match slot {
                Some(current) if current.will_wake(waker) => None,
                _ => slot.replace(waker.clone()),
            }
        };
        drop(displaced);
    }
}

impl Wake for HalfWakers {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    /// Rule 3: take both, unlock, wake.
    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        let taken = {
            let mut slots = self.slots.lock();
            [slots[0].take(), slots[1].take()]
        };
        for waker in taken.into_iter().flatten() {
            waker.wake();
        }
    }
}

impl<T: Unpin> Shared<T> {
    /// Makes one call into the stream for `half` (rules 1, 2 and 4).
    fn call<R>(
        &self,
        half: Half,
        cx: &Context<'_>,
        call: impl FnOnce(Pin<&mut T>, &mut Context<'_>) -> Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        self.wakers.record(half, cx.waker());
        let mut joint = Context::from_waker(&self.joint);
        let mut stream = self.stream.lock();
        call(Pin::new(&mut *stream), &mut joint)
    }
}

impl<T> Shared<T> {
    /// Runs `f` on the stream, under its lock (rule 1): `f` must not block.
    fn with_stream<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.stream.lock())
    }
}

impl<T> ReadHalf<T> {
    /// Runs `f` on the shared stream — for its addresses, options, or TLS session
    /// (asyncio's `get_extra_info`). `f` runs under the lock the halves share, so it
    /// must not block; the other half's calls wait for it.
    ///
    /// ```
    /// let stream = futures_lite::io::Cursor::new(vec![1, 2, 3]);
    /// let (reader, _writer) = weft_io::io::split(stream);
    /// assert_eq!(reader.with_stream(|cursor| cursor.get_ref().len()), 3);
    /// ```
    pub fn with_stream<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.shared.with_stream(f)
    }

    /// Whether `other` is the write half of the same split.
    pub fn is_pair_of(&self, other: &WriteHalf<T>) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Puts the two halves of one split back together and returns the stream (rule 6).
    ///
    /// # Errors
    ///
    /// [`ReuniteError`] holding both halves, unchanged, when `other` comes from another
    /// split.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let (reader, writer) = weft_io::io::split(futures_lite::io::Cursor::new(Vec::new()));
    /// let stream = reader.reunite(writer).unwrap();
    /// # });
    /// ```
    pub fn reunite(
        self,
        other: WriteHalf<T>,
    ) -> Result<T, ReuniteError<ReadHalf<T>, WriteHalf<T>>> {
        if !self.is_pair_of(&other) {
            return Err(ReuniteError(self, other));
        }
        drop(other);
        match Arc::try_unwrap(self.shared) {
            Ok(shared) => Ok(shared.stream.into_inner()),
            // The two halves hold the only references, and both are gone but this one.
            Err(_) => unreachable!("a split stream is shared by its two halves only"),
        }
    }
}

impl<T> WriteHalf<T> {
    /// As [`ReadHalf::with_stream`]: runs `f` on the shared stream, under the halves'
    /// lock.
    ///
    /// ```no_run
    /// # fn demo(writer: weft_io::io::WriteHalf<weft_io::net::TcpStream>) -> std::io::Result<()> {
    /// let peer = writer.with_stream(|stream| stream.peer_addr())?;
    /// # Ok(()) }
    /// ```
    pub fn with_stream<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.shared.with_stream(f)
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ReadHalf<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.shared
            .call(Half::Read, cx, |stream, cx| stream.poll_read(cx, buf))
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<io::Result<usize>> {
        self.shared.call(Half::Read, cx, |stream, cx| {
            stream.poll_read_vectored(cx, bufs)
        })
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteHalf<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.shared
            .call(Half::Write, cx, |stream, cx| stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.shared.call(Half::Write, cx, |stream, cx| {
            stream.poll_write_vectored(cx, bufs)
        })
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.shared
            .call(Half::Write, cx, |stream, cx| stream.poll_flush(cx))
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.shared
            .call(Half::Write, cx, |stream, cx| stream.poll_close(cx))
    }
}

impl<T> fmt::Debug for ReadHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for WriteHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").finish_non_exhaustive()
    }
}

/// Two halves that do not come from the same split, given back unchanged: from
/// [`ReadHalf::reunite`] (the generic halves) and
/// [`OwnedReadHalf::reunite`](crate::net::OwnedReadHalf::reunite) (a socket's).
pub struct ReuniteError<R, W>(pub R, pub W);

impl<R, W> fmt::Debug for ReuniteError<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReuniteError").finish_non_exhaustive()
    }
}

impl<R, W> fmt::Display for ReuniteError<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tried to reunite a read half and a write half of different streams")
    }
}

impl<R, W> Error for ReuniteError<R, W> {}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;
    use futures_lite::future::block_on;
    use futures_lite::io::{AsyncReadExt, AsyncWriteExt, Cursor};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    /// Counts its wakes.
    #[derive(Default)]
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    /// A stream that is never ready and keeps one waker for both directions: the
    /// latest caller's.
    #[derive(Default)]
    struct OneWakerStream {
        waker: Option<Waker>,
    }

    impl AsyncRead for OneWakerStream {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            _buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            self.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    impl AsyncWrite for OneWakerStream {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            _buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.waker = Some(cx.waker().clone());
            Poll::Pending
        }

        fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn a_wake_for_either_direction_wakes_both_waiting_halves() {
        let (mut reader, mut writer) = split(OneWakerStream::default());
        let read_wakes = std::sync::Arc::new(CountingWaker::default());
        let write_wakes = std::sync::Arc::new(CountingWaker::default());
        let read_waker = Waker::from(read_wakes.clone());
        let write_waker = Waker::from(write_wakes.clone());

        let mut buf = [0; 1];
        let read = Pin::new(&mut reader).poll_read(&mut Context::from_waker(&read_waker), &mut buf);
        let write = Pin::new(&mut writer).poll_write(&mut Context::from_waker(&write_waker), b"x");
        assert!(read.is_pending() && write.is_pending());

        // The stream kept only the latest caller's waker, and wakes it once.
        let stream_waker = reader.shared.stream.lock().waker.take().unwrap();
        stream_waker.wake();
        assert_eq!(read_wakes.0.load(SeqCst), 1);
        assert_eq!(write_wakes.0.load(SeqCst), 1);
    }

    #[test]
    fn halves_read_and_write_the_one_stream() {
        block_on(async {
            let (mut reader, mut writer) = split(Cursor::new(b"hello".to_vec()));
            let mut got = String::new();
            reader.read_to_string(&mut got).await.unwrap();
            assert_eq!(got, "hello");
            writer.write_all(b" world").await.unwrap();
            writer.flush().await.unwrap();
            let stream = reader.reunite(writer).unwrap();
            assert_eq!(stream.into_inner(), b"hello world");
        });
    }

    #[test]
    fn halves_of_different_splits_do_not_reunite() {
        let (reader_a, writer_a) = split(Cursor::new(vec![1]));
        let (reader_b, writer_b) = split(Cursor::new(vec![2]));
        assert!(!reader_a.is_pair_of(&writer_b));
        let err = reader_a.reunite(writer_b).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tried to reunite a read half and a write half of different streams"
        );
        let ReuniteError(reader_a, writer_b) = err;
        assert_eq!(reader_a.reunite(writer_a).unwrap().into_inner(), vec![1]);
        assert_eq!(reader_b.reunite(writer_b).unwrap().into_inner(), vec![2]);
    }

    #[test]
    fn halves_are_send_and_sync_for_a_send_stream() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ReadHalf<Cursor<Vec<u8>>>>();
        assert_send_sync::<WriteHalf<Cursor<Vec<u8>>>>();
    }
}
