//! The parent's ends of a child's standard streams: [`ChildStdin`], [`ChildStdout`],
//! [`ChildStderr`] — non-blocking pipes on the runtime's reactor (`AsyncFd`).
//!
//! # Rules
//!
//! 1. A pipe end is made non-blocking, then registered with the reactor of the
//!    runtime the child was spawned in; it is the parent's own open file (the child
//!    holds the other end), so the flag changes nothing for the child.
//! 2. A read or write runs only inside a poll that returns its result, and a
//!    `WouldBlock` gives the readiness back (`AsyncFd` rule 2): a dropped read or
//!    write future has consumed nothing.
//! 3. Closing [`ChildStdin`] (dropping it, or `close().await`) closes the pipe: the
//!    child reads end of file.
//! 4. Turning an end back into a [`Stdio`] (to pipe one child into another) takes it
//!    off the reactor and makes it blocking again, as the next program expects.

use futures_io::{AsyncRead, AsyncWrite};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{ready, Context, Poll};
use weft_io::io::unix::AsyncFd;

/// One registered pipe end.
struct PipeEnd {
    fd: AsyncFd<File>,
}

impl PipeEnd {
    /// Makes `fd` non-blocking and registers it with the current reactor (rule 1).
    fn new(fd: OwnedFd) -> io::Result<PipeEnd> {
        set_nonblocking(fd.as_fd(), true)?;
        Ok(PipeEnd {
            fd: AsyncFd::new(File::from(fd))?,
        })
    }

    fn poll_read(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        loop {
            let mut guard = ready!(self.fd.poll_read_ready(cx))?;
            match guard.try_io(|fd| fd.get_ref().read(buf)) {
                Ok(Err(err)) if err.kind() == io::ErrorKind::Interrupted => {}
                Ok(result) => return Poll::Ready(result),
                Err(_would_block) => {}
            }
        }
    }

    fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        loop {
            let mut guard = ready!(self.fd.poll_write_ready(cx))?;
            match guard.try_io(|fd| fd.get_ref().write(buf)) {
                Ok(Err(err)) if err.kind() == io::ErrorKind::Interrupted => {}
                Ok(result) => return Poll::Ready(result),
                Err(_would_block) => {}
            }
        }
    }

    /// Back to a blocking descriptor off the reactor, for another child (rule 4).
    fn into_stdio(self) -> io::Result<Stdio> {
        let fd = OwnedFd::from(self.fd.into_inner());
        set_nonblocking(fd.as_fd(), false)?;
        Ok(Stdio::from(fd))
    }
}

/// Sets or clears `O_NONBLOCK` on `fd`'s open file.
fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> io::Result<()> {
    let raw = fd.as_raw_fd();
    // SAFETY: `raw` is open for the borrow's lifetime; F_GETFL takes no argument.
    let flags = unsafe { libc::fcntl(raw, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    let wanted = if nonblocking {
        flags | libc::O_NONBLOCK
    } else {
        flags & !libc::O_NONBLOCK
    };
    // SAFETY: as above; F_SETFL takes the new flags as an int.
    if wanted != flags && unsafe { libc::fcntl(raw, libc::F_SETFL, wanted) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The error of a write to a [`ChildStdin`] already closed.
fn stdin_closed() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the child's stdin was closed by this process",
    )
}

/// The parent's end of a child's stdin pipe: implements
/// [`AsyncWrite`](crate::io::AsyncWrite). Dropping or closing it gives the child end
/// of file (rule 3).
///
/// ```no_run
/// use weft::io::AsyncWriteExt;
/// use weft::process::{Command, Stdio};
///
/// # weft::run(async {
/// let mut child = Command::new("wc").arg("-l").stdin(Stdio::piped()).spawn()?;
/// let mut stdin = child.stdin.take().unwrap();
/// stdin.write_all(b"one\ntwo\n").await?;
/// drop(stdin); // EOF: wc prints its count and exits
/// child.wait().await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct ChildStdin {
    /// `None` once closed through `poll_close`.
    pipe: Option<PipeEnd>,
}

/// The parent's end of a child's stdout pipe: implements
/// [`AsyncRead`](crate::io::AsyncRead); reads 0 (end of file) once the child and
/// everything it passed the pipe to have closed it.
///
/// ```no_run
/// use weft::io::BufReader;
/// use weft::process::{Command, Stdio};
///
/// # weft::run(async {
/// let mut child = Command::new("ls").stdout(Stdio::piped()).spawn()?;
/// let mut lines = BufReader::new(child.stdout.take().unwrap());
/// let mut line = String::new();
/// while lines.read_line(&mut line).await? > 0 {
///     print!("{line}");
///     line.clear();
/// }
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct ChildStdout {
    pipe: PipeEnd,
}

/// The parent's end of a child's stderr pipe: implements
/// [`AsyncRead`](crate::io::AsyncRead), as [`ChildStdout`].
///
/// ```no_run
/// use weft::io::AsyncReadExt;
/// use weft::process::{Command, Stdio};
///
/// # weft::run(async {
/// let mut child = Command::new("ls").arg("/nowhere").stderr(Stdio::piped()).spawn()?;
/// let mut complaint = String::new();
/// child.stderr.take().unwrap().read_to_string(&mut complaint).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct ChildStderr {
    pipe: PipeEnd,
}

impl ChildStdin {
    pub(super) fn new(stdin: std::process::ChildStdin) -> io::Result<ChildStdin> {
        Ok(ChildStdin {
            pipe: Some(PipeEnd::new(stdin.into())?),
        })
    }

    fn pipe(&self) -> io::Result<&PipeEnd> {
        self.pipe.as_ref().ok_or_else(stdin_closed)
    }
}

impl ChildStdout {
    pub(super) fn new(stdout: std::process::ChildStdout) -> io::Result<ChildStdout> {
        Ok(ChildStdout {
            pipe: PipeEnd::new(stdout.into())?,
        })
    }
}

impl ChildStderr {
    pub(super) fn new(stderr: std::process::ChildStderr) -> io::Result<ChildStderr> {
        Ok(ChildStderr {
            pipe: PipeEnd::new(stderr.into())?,
        })
    }
}

impl AsyncWrite for ChildStdin {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.pipe()?.poll_write(cx, buf)
    }

    /// Nothing is buffered: written bytes are in the pipe already.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Closes the pipe: the child reads end of file (rule 3); later writes fail.
    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        drop(self.get_mut().pipe.take());
        Poll::Ready(Ok(()))
    }
}

/// `AsyncRead`, `AsRawFd`, `AsFd`, `Debug` and the `Stdio` conversion for the read ends.
macro_rules! read_end {
    ($($end:ident),*) => {$(
        impl AsyncRead for $end {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                self.pipe.poll_read(cx, buf)
            }
        }

        impl AsRawFd for $end {
            fn as_raw_fd(&self) -> RawFd {
                self.pipe.fd.as_raw_fd()
            }
        }

        impl AsFd for $end {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.pipe.fd.as_fd()
            }
        }

        impl TryFrom<$end> for Stdio {
            type Error = io::Error;

            /// The pipe as another child's stdin (rule 4): `ls | wc -l`.
            fn try_from(end: $end) -> io::Result<Stdio> {
                end.pipe.into_stdio()
            }
        }

        impl fmt::Debug for $end {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($end))
                    .field("fd", &self.pipe.fd.as_raw_fd())
                    .finish()
            }
        }
    )*};
}

read_end!(ChildStdout, ChildStderr);

impl TryFrom<ChildStdin> for Stdio {
    type Error = io::Error;

    /// The pipe as another child's stdout (rule 4).
    fn try_from(stdin: ChildStdin) -> io::Result<Stdio> {
        let pipe = stdin.pipe.ok_or_else(stdin_closed)?;
        pipe.into_stdio()
    }
}

impl fmt::Debug for ChildStdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStdin")
            .field("fd", &self.pipe.as_ref().map(|pipe| pipe.fd.as_raw_fd()))
            .finish()
    }
}
