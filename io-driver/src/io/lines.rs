//! [`Lines`]: a [`BufReader`] read line by line, as a [`Stream`] — asyncio's
//! `async for line in reader`, std's `BufRead::lines`.
//!
//! # Rules
//!
//! 1. A line is found by the reader's own line search (`buf_reader.rs`, rules 2 and
//!    4): nothing is consumed until the whole line, or the rest of the stream at EOF,
//!    is buffered. Dropping a [`NextLine`] future, or the `Lines` between two polls,
//!    therefore loses no byte.
//! 2. An item is the line without its `\n`, and without the `\r` before that `\n`
//!    (std's rule: a `\r` not followed by `\n` stays). The rest of the stream after
//!    the last `\n` is the last item, unless it is empty.
//! 3. A line that is not UTF-8 is consumed and yields one `InvalidData` error; the
//!    next item is the next line. (std's `lines` does the same; keeping the line
//!    would make every later poll fail the same way.)
//! 4. A line longer than the reader's [limit](BufReader::limit) yields one
//!    `InvalidData` error, and the stream then skips to the end of that line without
//!    holding it (asyncio's `LimitOverrunError` consumes too); the next item is the
//!    next line.
//! 5. An error of the inner reader is yielded as it is; the buffered bytes stay, and
//!    the next poll reads again. The stream does not end on an error: stop at the
//!    first one unless a retry makes sense for your reader.
//! 6. At EOF the stream yields `None`. It is not fused: a reader that has more later
//!    (a file being appended to) yields more lines on a later poll.

use super::buf_reader::SearchState;
use super::BufReader;
use futures_core::Stream;
use futures_io::{AsyncBufRead, AsyncRead};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The lines of a [`BufReader`], from [`BufReader::lines`]: a [`Stream`] of
/// `io::Result<String>`, and [`Lines::next_line`] for a `while let` loop.
///
/// Each line comes without its `\n` or `\r\n`. A line that is not UTF-8, or longer
/// than the reader's [limit](BufReader::limit), yields an `InvalidData` error and is
/// skipped; the stream goes on with the next line. An error of the inner reader does
/// not end the stream either.
///
/// ```no_run
/// use weft_io::io::BufReader;
///
/// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// let mut lines = BufReader::new(stream).lines();
/// while let Some(line) = lines.next_line().await? {
///     println!("got {line:?}");
/// }
/// # Ok(()) }
/// ```
pub struct Lines<R> {
    reader: BufReader<R>,
    search: SearchState<'static>,
    /// Skipping the rest of a line that overran the limit (rule 4).
    skipping: bool,
}

impl<R: AsyncRead + Unpin> Lines<R> {
    pub(super) fn new(reader: BufReader<R>) -> Lines<R> {
        Lines {
            reader,
            search: SearchState::newline(),
            skipping: false,
        }
    }

    /// The next line: `Ok(Some(line))`, `Ok(None)` at the end of the stream, or the
    /// error of rules 3-5 in the module documentation (the stream goes on after it).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is consumed until a whole line is buffered, so a dropped
    /// future leaves every byte for the next call.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut lines = weft_io::io::BufReader::new(&b"a\nb"[..]).lines();
    /// assert_eq!(lines.next_line().await?.as_deref(), Some("a"));
    /// assert_eq!(lines.next_line().await?.as_deref(), Some("b"));
    /// assert_eq!(lines.next_line().await?, None);
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn next_line(&mut self) -> NextLine<'_, R> {
        NextLine { lines: self }
    }

    /// Polls for the next line; what [`Lines::next_line`] and the [`Stream`] use.
    fn poll_next_line(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<String>>> {
        if self.skipping {
            ready!(self.poll_skip_line(cx))?;
        }
        let line = match ready!(self.reader.poll_buffered_line(cx, &mut self.search)) {
            Ok(line) => line,
            Err(err) => {
                // The search reads only while less than the limit is buffered, so a
                // full buffer means this is the limit's error, not the reader's.
                self.skipping = self.reader.buffer().len() >= self.reader.limit();
                return Poll::Ready(Err(err));
            }
        };
        let len = line.len();
        if len == 0 {
            // Start over, so a later poll reads again (rule 6).
            self.reader.consume_line(0, &mut self.search);
            return Poll::Ready(Ok(None));
        }
        let text = strip_newline(line);
        let item = match std::str::from_utf8(text) {
            Ok(text) => Ok(Some(text.to_owned())),
            Err(err) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a line is not UTF-8 ({err}); it was skipped"),
            )),
        };
        self.reader.consume_line(len, &mut self.search);
        Poll::Ready(item)
    }

    /// Consumes bytes up to and including the next `\n`, or to EOF (rule 4).
    fn poll_skip_line(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            let buffered = ready!(Pin::new(&mut self.reader).poll_fill_buf(cx))?;
            if buffered.is_empty() {
                break;
            }
            let (len, found) = match memchr::memchr(b'\n', buffered) {
                Some(at) => (at + 1, true),
                None => (buffered.len(), false),
            };
            self.reader.consume_line(len, &mut self.search);
            if found {
                break;
            }
        }
        self.skipping = false;
        Poll::Ready(Ok(()))
    }
}

impl<R> Lines<R> {
    /// The buffered reader underneath.
    ///
    /// ```
    /// let lines = weft_io::io::BufReader::new(&b"x\n"[..]).lines();
    /// assert!(lines.get_ref().buffer().is_empty());
    /// ```
    pub fn get_ref(&self) -> &BufReader<R> {
        &self.reader
    }

    /// The buffered reader underneath, mutably (to change its limit, say).
    ///
    /// ```
    /// let mut lines = weft_io::io::BufReader::new(&b"x\n"[..]).lines();
    /// lines.get_mut().set_limit(1024 * 1024);
    /// ```
    pub fn get_mut(&mut self) -> &mut BufReader<R> {
        &mut self.reader
    }

    /// The buffered reader back, with every byte not yet yielded as a line still in
    /// it — except, after a limit error, the part of the long line not yet skipped.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b"x\n"[..]).lines().into_inner();
    /// ```
    pub fn into_inner(self) -> BufReader<R> {
        self.reader
    }
}

/// `line` without its trailing `\n` or `\r\n` (rule 2).
fn strip_newline(line: &[u8]) -> &[u8] {
    match line {
        [text @ .., b'\r', b'\n'] | [text @ .., b'\n'] => text,
        text => text,
    }
}

impl<R: AsyncRead + Unpin> Stream for Lines<R> {
    type Item = io::Result<String>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_line(cx).map(Result::transpose)
    }
}

impl<R: fmt::Debug> fmt::Debug for Lines<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lines")
            .field("reader", &self.reader)
            .field("skipping", &self.skipping)
            .finish_non_exhaustive()
    }
}

/// The future of [`Lines::next_line`].
#[must_use = "futures do nothing unless polled"]
pub struct NextLine<'a, R> {
    lines: &'a mut Lines<R>,
}

impl<R: AsyncRead + Unpin> Future for NextLine<'_, R> {
    type Output = io::Result<Option<String>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().lines.poll_next_line(cx)
    }
}

impl<R> fmt::Debug for NextLine<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextLine").finish_non_exhaustive()
    }
}
