//! The heart of `communicate`: write a child's input while reading both its outputs,
//! all in one future, so no pipe's buffer can fill while this side waits on another.
//!
//! A child blocks when it writes to a full stdout pipe; if the parent were meanwhile
//! blocked writing stdin (or reading stderr), neither would move. Polling the three
//! transfers together means whichever pipe is ready moves, whatever the child does
//! first.

use super::pipe::{ChildStderr, ChildStdin, ChildStdout};
use crate::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::task::Poll;

/// Writes `input` to `stdin` and closes it, while reading `stdout` and `stderr` to
/// their ends; returns what was read. A missing pipe is an empty transfer.
pub(super) async fn feed_and_drain(
    stdin: Option<ChildStdin>,
    input: Option<Vec<u8>>,
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let mut feed = pin!(feed(stdin, input));
    let mut out = pin!(read_to_end(stdout));
    let mut err = pin!(read_to_end(stderr));
    let (mut fed, mut out_done, mut err_done) = (false, None, None);
    poll_fn(|cx| {
        if !fed {
            if let Poll::Ready(result) = feed.as_mut().poll(cx) {
                result?;
                fed = true;
            }
        }
        if out_done.is_none() {
            if let Poll::Ready(result) = out.as_mut().poll(cx) {
                out_done = Some(result?);
            }
        }
        if err_done.is_none() {
            if let Poll::Ready(result) = err.as_mut().poll(cx) {
                err_done = Some(result?);
            }
        }
        match (fed, &mut out_done, &mut err_done) {
            (true, Some(out), Some(err)) => {
                Poll::Ready(Ok((std::mem::take(out), std::mem::take(err))))
            }
            _ => Poll::Pending,
        }
    })
    .await
}

/// Writes `input`, then closes stdin (end of file for the child). A child that exits
/// without reading everything is not an error (asyncio ignores the broken pipe too).
async fn feed(stdin: Option<ChildStdin>, input: Option<Vec<u8>>) -> io::Result<()> {
    let Some(mut stdin) = stdin else {
        return Ok(());
    };
    if let Some(input) = input {
        match stdin.write_all(&input).await {
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
                ) => {}
            result => result?,
        }
    }
    drop(stdin);
    Ok(())
}

/// Everything `pipe` yields until end of file; nothing if there is no pipe.
async fn read_to_end<R: AsyncRead + Unpin>(pipe: Option<R>) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if let Some(mut pipe) = pipe {
        pipe.read_to_end(&mut buf).await?;
    }
    Ok(buf)
}
