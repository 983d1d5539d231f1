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
