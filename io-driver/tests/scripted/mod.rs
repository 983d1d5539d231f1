//! In-memory readers and writers that follow a script, for testing the `io` helpers
//! without sockets: chunk boundaries, `Pending` mid-stream, errors.

#![allow(dead_code)]

use futures_lite::io::{AsyncRead, AsyncWrite};
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One step of a [`Scripted`] reader.
pub(crate) enum Step {
    /// These bytes, over as many reads as the caller's buffers need.
    Data(&'static [u8]),
    /// One `Pending` (the waker is woken at once, so the reader is polled again).
    Pending,
    /// An error of this kind.
    Fail(io::ErrorKind),
}

/// A reader that plays its steps, then reports EOF forever.
pub(crate) struct Scripted {
    steps: VecDeque<Step>,
}

impl Scripted {
    pub(crate) fn new(steps: impl IntoIterator<Item = Step>) -> Scripted {
        Scripted {
            steps: steps.into_iter().collect(),
        }
    }
}

impl AsyncRead for Scripted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.steps.pop_front() {
            None => Poll::Ready(Ok(0)),
            Some(Step::Pending) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(Step::Fail(kind)) => Poll::Ready(Err(kind.into())),
            Some(Step::Data(data)) => {
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                if n < data.len() {
                    self.steps.push_front(Step::Data(&data[n..]));
                }
                Poll::Ready(Ok(n))
            }
        }
    }
}

/// A writer that takes at most `per_write` bytes a call, and says `Pending` before
/// every write.
pub(crate) struct Trickle {
    pub(crate) written: Vec<u8>,
    per_write: usize,
    ready: bool,
}

impl Trickle {
    pub(crate) fn new(per_write: usize) -> Trickle {
        Trickle {
            written: Vec::new(),
            per_write,
            ready: false,
        }
    }
}

impl AsyncWrite for Trickle {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if !std::mem::replace(&mut self.ready, false) {
            self.ready = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let n = buf.len().min(self.per_write);
        self.written.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A writer that records each call: the bytes of every write, the flushes and the
/// close. It takes at most `per_write` bytes a call, can fail one write after some
/// successful ones ([`Recorder::fail_after`]), and can take no bytes once
/// ([`Recorder::take_nothing_next`]).
pub(crate) struct Recorder {
    pub(crate) writes: Vec<Vec<u8>>,
    pub(crate) flushes: usize,
    pub(crate) closed: bool,
    per_write: usize,
    /// Fail when this many writes are recorded, with this kind.
    fail_at: Option<(usize, io::ErrorKind)>,
    zero_next: bool,
}

impl Recorder {
    pub(crate) fn new(per_write: usize) -> Recorder {
        Recorder {
            writes: Vec::new(),
            flushes: 0,
            closed: false,
            per_write,
            fail_at: None,
            zero_next: false,
        }
    }

    /// Fails one write, with `kind`, after `successes` more writes succeed.
    pub(crate) fn fail_after(&mut self, successes: usize, kind: io::ErrorKind) {
        self.fail_at = Some((self.writes.len() + successes, kind));
    }

    pub(crate) fn take_nothing_next(&mut self) {
        self.zero_next = true;
    }

    /// Every byte written, in order.
    pub(crate) fn written(&self) -> Vec<u8> {
        self.writes.concat()
    }
}

impl AsyncWrite for Recorder {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some((at, kind)) = self.fail_at {
            if self.writes.len() == at {
                self.fail_at = None;
                return Poll::Ready(Err(kind.into()));
            }
        }
        if std::mem::take(&mut self.zero_next) {
            return Poll::Ready(Ok(0));
        }
        let n = buf.len().min(self.per_write);
        self.writes.push(buf[..n].to_vec());
        Poll::Ready(Ok(n))
    }

    fn poll_flush(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.flushes += 1;
        Poll::Ready(Ok(()))
    }

    fn poll_close(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.closed = true;
        Poll::Ready(Ok(()))
    }
}
