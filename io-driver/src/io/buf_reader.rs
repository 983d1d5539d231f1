//! [`BufReader`]: a buffer in front of a reader, with asyncio's `readline` and
//! `readuntil` (one byte, a byte string, or any of several byte strings).
//!
//! # Rules
//!
//! 1. `buf[pos..filled]` holds bytes read from the inner reader and not yet consumed;
//!    `buf.len()` is the room allocated (zero-initialised, so no byte is ever
//!    uninitialised).
//! 2. [`BufReader::read_until`] and [`BufReader::read_line`] consume nothing until a
//!    whole line (or the rest of the stream, at EOF) is buffered: they search the
//!    buffered bytes, and read more into the buffer — compacting it, then growing it
//!    up to the [limit](BufReader::limit) — while the delimiter is missing. Dropping
//!    their future therefore loses nothing: every byte stays in the buffer for the
//!    next call.
//! 3. A line longer than the limit is an `InvalidData` error and stays buffered, as
//!    with asyncio's `LimitOverrunError`; read it in pieces through
//!    [`AsyncBufRead`]/[`AsyncRead`].
//! 4. A search never looks at a byte twice, yet finds a separator that straddles two
//!    reads: after a miss it resumes `longest separator - 1` bytes before the end of
//!    what is buffered, the earliest place a match not yet seen can start. Among
//!    several separators the match that *ends* first wins (asyncio's rule), so the
//!    line is the shortest one any separator allows.

use super::Lines;
use futures_io::{AsyncBufRead, AsyncRead};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The buffer size of [`BufReader::new`].
const DEFAULT_CAPACITY: usize = 8 * 1024;
/// The longest line [`BufReader::read_until`] buffers by default: asyncio's stream
/// limit (64 KiB).
const DEFAULT_LIMIT: usize = 64 * 1024;

/// Buffers an [`AsyncRead`] and reads lines from it: asyncio's `StreamReader`
/// (`readline`, `readuntil`), as returned by
/// [`open_connection`](crate::net::open_connection).
///
/// Implements [`AsyncBufRead`] and [`AsyncRead`] (large reads bypass the buffer when it
/// is empty). Requires an `Unpin` reader; wrap others in `Box::pin`.
///
/// ```no_run
/// use weft_io::io::BufReader;
///
/// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// let mut reader = BufReader::new(stream);
/// let mut line = String::new();
/// while reader.read_line(&mut line).await? != 0 {
///     print!("{line}");
///     line.clear();
/// }
/// # Ok(()) }
/// ```
pub struct BufReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    /// How much one ordinary fill reads.
    capacity: usize,
    /// The most bytes a line search holds (rule 3).
    limit: usize,
}

impl<R: AsyncRead + Unpin> BufReader<R> {
    /// A reader with an 8 KiB buffer and a 64 KiB line limit.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b"one\ntwo\n"[..]);
    /// ```
    pub fn new(inner: R) -> BufReader<R> {
        BufReader::with_capacity(DEFAULT_CAPACITY, inner)
    }

    /// A reader with a `capacity`-byte buffer (at least 1) and a line limit of
    /// 64 KiB or `capacity`, whichever is larger.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::with_capacity(64, &b"data"[..]);
    /// ```
    pub fn with_capacity(capacity: usize, inner: R) -> BufReader<R> {
        let capacity = capacity.max(1);
        BufReader {
            inner,
            buf: vec![0; capacity],
            pos: 0,
            filled: 0,
            capacity,
            limit: DEFAULT_LIMIT.max(capacity),
        }
    }

    /// The longest line [`BufReader::read_until`] and [`BufReader::read_line`] will
    /// buffer while looking for its end.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b""[..]);
    /// assert_eq!(reader.limit(), 64 * 1024);
    /// ```
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Sets the line limit (at least 1): asyncio's `limit` argument.
    ///
    /// ```
    /// let mut reader = weft_io::io::BufReader::new(&b""[..]);
    /// reader.set_limit(1024 * 1024);
    /// ```
    pub fn set_limit(&mut self, limit: usize) -> &mut BufReader<R> {
        self.limit = limit.max(1);
        self
    }

    /// The inner reader.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b"abc"[..]);
    /// assert_eq!(*reader.get_ref(), b"abc");
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably. Reading from it directly skips the buffered bytes.
    ///
    /// ```
    /// let mut reader = weft_io::io::BufReader::new(&b"abc"[..]);
    /// let inner: &mut &[u8] = reader.get_mut();
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The bytes buffered and not yet consumed.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b"abc"[..]);
    /// assert!(reader.buffer().is_empty()); // nothing read yet
    /// ```
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.pos..self.filled]
    }

    /// The inner reader; the buffered bytes are lost.
    ///
    /// ```
    /// let reader = weft_io::io::BufReader::new(&b"abc"[..]);
    /// let inner: &[u8] = reader.into_inner();
    /// ```
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The lines of the stream, as a [`Stream`](futures_core::Stream) of
    /// `io::Result<String>` without their `\n` or `\r\n`: `async for line in f`, and
    /// std's `BufRead::lines`. A last line without a newline is still yielded.
    ///
    /// Files and sockets alike: wrap a `weft::fs::File` or a read half and call this.
    /// See [`Lines`] for what each error does to the stream.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut lines = weft_io::io::BufReader::new(&b"one\r\ntwo\nthree"[..]).lines();
    /// let mut seen = Vec::new();
    /// while let Some(line) = lines.next_line().await? {
    ///     seen.push(line);
    /// }
    /// assert_eq!(seen, ["one", "two", "three"]);
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn lines(self) -> Lines<R> {
        Lines::new(self)
    }

    /// Reads up to and including `delimiter`, appending to `buf`; returns the number
    /// of bytes appended, 0 at EOF. At EOF without a delimiter, appends the rest.
    /// asyncio's `readuntil` with a one-byte separator.
    ///
    /// # Errors
    ///
    /// `InvalidData` when no delimiter appears within [`BufReader::limit`] bytes (they
    /// stay buffered), or the inner reader's error (what was buffered stays).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is consumed or appended until the whole line is buffered
    /// (rule 2), so a dropped future leaves every byte for the next call.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut reader = weft_io::io::BufReader::new(&b"key=value;rest"[..]);
    /// let mut field = Vec::new();
    /// reader.read_until(b';', &mut field).await?;
    /// assert_eq!(field, b"key=value;");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn read_until<'a>(&'a mut self, delimiter: u8, buf: &'a mut Vec<u8>) -> ReadUntil<'a, R> {
        ReadUntil {
            search: Search::new(self, Separators::Byte(delimiter)),
            buf,
        }
    }

    /// Reads up to and including the byte string `separator`, appending to `buf`;
    /// returns the number of bytes appended, 0 at EOF. At EOF without a separator,
    /// appends the rest (check `buf.ends_with(separator)`; asyncio raises
    /// `IncompleteReadError` there). asyncio's `readuntil(separator)`.
    ///
    /// A separator split across two reads from the inner reader is found (rule 4).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for an empty separator; `InvalidData` when no separator ends
    /// within [`BufReader::limit`] bytes (they stay buffered); the inner reader's error
    /// (what was buffered stays).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`BufReader::read_until`] (rule 2).
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut reader = weft_io::io::BufReader::new(&b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"[..]);
    /// let mut head = Vec::new();
    /// reader.read_until_separator(b"\r\n\r\n", &mut head).await?;
    /// assert_eq!(head, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn read_until_separator<'a>(
        &'a mut self,
        separator: &'a [u8],
        buf: &'a mut Vec<u8>,
    ) -> ReadUntil<'a, R> {
        ReadUntil {
            search: Search::new(self, Separators::Seq(separator)),
            buf,
        }
    }

    /// Reads up to and including the first of `separators` to end in the stream,
    /// appending to `buf`; returns the number of bytes appended, 0 at EOF. At EOF
    /// without a separator, appends the rest. asyncio 3.13's `readuntil` with a tuple
    /// of separators: where two end at the same byte, the line is the same either way.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `separators` is empty or holds an empty separator;
    /// otherwise as [`BufReader::read_until_separator`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`BufReader::read_until`] (rule 2).
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut reader = weft_io::io::BufReader::new(&b"one\r\ntwo\nthree"[..]);
    /// let mut line = Vec::new();
    /// let endings: &[&[u8]] = &[b"\r\n", b"\n"];
    /// reader.read_until_any(endings, &mut line).await?;
    /// assert_eq!(line, b"one\r\n");
    /// line.clear();
    /// reader.read_until_any(endings, &mut line).await?;
    /// assert_eq!(line, b"two\n");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn read_until_any<'a>(
        &'a mut self,
        separators: &'a [&'a [u8]],
        buf: &'a mut Vec<u8>,
    ) -> ReadUntil<'a, R> {
        ReadUntil {
            search: Search::new(self, Separators::Any(separators)),
            buf,
        }
    }

    /// Reads a line, up to and including `\n`, appending it to `buf`; returns the
    /// number of bytes appended, 0 at EOF. asyncio's `readline`.
    ///
    /// # Errors
    ///
    /// `InvalidData` when the line is not UTF-8 or longer than [`BufReader::limit`]
    /// (either way it stays buffered: read it with [`BufReader::read_until`] or
    /// through [`AsyncBufRead`]), or the inner reader's error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is consumed or appended until the whole line is buffered
    /// (rule 2).
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// let mut reader = weft_io::io::BufReader::new(&b"hello\nworld"[..]);
    /// let mut line = String::new();
    /// reader.read_line(&mut line).await?;
    /// assert_eq!(line, "hello\n");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn read_line<'a>(&'a mut self, buf: &'a mut String) -> ReadLine<'a, R> {
        ReadLine {
            search: Search::new(self, Separators::Byte(b'\n')),
            buf,
        }
    }

    /// Polls until `buf[pos..pos + len]` is a whole line (or the rest of the stream at
    /// EOF, possibly empty); returns `len`, consuming nothing (rule 2).
    fn poll_line(
        &mut self,
        cx: &mut Context<'_>,
        search: &mut SearchState<'_>,
    ) -> Poll<io::Result<usize>> {
        search.separators.check()?;
        loop {
            let unread = &self.buf[self.pos + search.searched..self.filled];
            if let Some(end) = search.separators.find_end(unread) {
                return Poll::Ready(Ok(search.searched + end));
            }
            let buffered = self.filled - self.pos;
            // Rule 4: the earliest start of a match that is not wholly buffered yet.
            search.searched = buffered.saturating_sub(search.separators.longest() - 1);
            if search.eof {
                return Poll::Ready(Ok(buffered));
            }
            if buffered >= self.limit {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "no {} separator within the limit of {} bytes; the bytes stay buffered",
                        search.separators, self.limit
                    ),
                )));
            }
            self.make_room();
            let n = ready!(Pin::new(&mut self.inner).poll_read(cx, &mut self.buf[self.filled..]))?;
            if n == 0 {
                search.eof = true;
            }
            self.filled += n;
        }
    }

    /// Frees room after `filled`: moves the unread bytes to the front, or grows the
    /// buffer towards the limit.
    fn make_room(&mut self) {
        if self.filled < self.buf.len() {
            return;
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        } else {
            let grown = (self.buf.len() * 2).min(self.limit).max(self.buf.len() + 1);
            self.buf.resize(grown, 0);
        }
    }

    /// Marks `len` buffered bytes consumed.
    fn consume_buffered(&mut self, len: usize) {
        self.pos = (self.pos + len).min(self.filled);
    }
}

/// What ends a line: one byte, one byte string, or the first of several to end.
#[derive(Clone, Copy, Debug)]
enum Separators<'s> {
    Byte(u8),
    Seq(&'s [u8]),
    Any(&'s [&'s [u8]]),
}

impl Separators<'_> {
    /// Refuses what could never match: no separator, or an empty one.
    fn check(self) -> io::Result<()> {
        let valid = match self {
            Separators::Byte(_) => true,
            Separators::Seq(separator) => !separator.is_empty(),
            Separators::Any(separators) => {
                !separators.is_empty() && separators.iter().all(|s| !s.is_empty())
            }
        };
        if valid {
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a line separator must be at least one byte long, and there must be one",
        ))
    }

    /// The length of the longest separator (at least 1 once [`Separators::check`]
    /// passed).
    fn longest(self) -> usize {
        match self {
            Separators::Byte(_) => 1,
            Separators::Seq(separator) => separator.len(),
            Separators::Any(separators) => separators.iter().map(|s| s.len()).max().unwrap_or(1),
        }
        .max(1)
    }

    /// Where in `haystack` the first match ends (rule 4), exclusive.
    fn find_end(self, haystack: &[u8]) -> Option<usize> {
        match self {
            Separators::Byte(byte) => memchr::memchr(byte, haystack).map(|at| at + 1),
            Separators::Seq(separator) => find_end(haystack, separator),
            Separators::Any(separators) => separators
                .iter()
                .filter_map(|separator| find_end(haystack, separator))
                .min(),
        }
    }
}

/// Where the first `separator` in `haystack` ends, exclusive.
fn find_end(haystack: &[u8], separator: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, separator).map(|at| at + separator.len())
}

impl fmt::Display for Separators<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Separators::Byte(byte) => write!(f, "b\"{}\"", [byte].escape_ascii()),
            Separators::Seq(separator) => write!(f, "b\"{}\"", separator.escape_ascii()),
            Separators::Any(separators) => {
                f.write_str("(")?;
                for (i, separator) in separators.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    Separators::Seq(separator).fmt(f)?;
                }
                f.write_str(")")
            }
        }
    }
}

/// The progress of one line search, kept across polls.
#[derive(Debug)]
pub(super) struct SearchState<'s> {
    separators: Separators<'s>,
    /// Where the next search starts, counted from the first unread byte (rule 4).
    searched: usize,
    eof: bool,
}

impl SearchState<'static> {
    /// A search for the end of a `\n`-terminated line, owning nothing, so a
    /// [`Lines`](super::Lines) can keep it beside its reader.
    pub(super) fn newline() -> SearchState<'static> {
        SearchState::new(Separators::Byte(b'\n'))
    }
}

impl<'s> SearchState<'s> {
    fn new(separators: Separators<'s>) -> SearchState<'s> {
        SearchState {
            separators,
            searched: 0,
            eof: false,
        }
    }
}

impl<R: AsyncRead + Unpin> BufReader<R> {
    /// The whole line `search` looks for, once buffered (rule 2); not yet consumed.
    pub(super) fn poll_buffered_line(
        &mut self,
        cx: &mut Context<'_>,
        search: &mut SearchState<'_>,
    ) -> Poll<io::Result<&[u8]>> {
        let len = ready!(self.poll_line(cx, search))?;
        Poll::Ready(Ok(&self.buf[self.pos..self.pos + len]))
    }

    /// Consumes the line of `len` bytes [`BufReader::poll_buffered_line`] returned,
    /// and starts `search` over.
    pub(super) fn consume_line(&mut self, len: usize, search: &mut SearchState<'_>) {
        self.consume_buffered(len);
        search.searched = 0;
        search.eof = false;
    }
}

/// A line search on a reader.
struct Search<'a, R> {
    reader: &'a mut BufReader<R>,
    state: SearchState<'a>,
}

impl<'a, R: AsyncRead + Unpin> Search<'a, R> {
    fn new(reader: &'a mut BufReader<R>, separators: Separators<'a>) -> Self {
        Search {
            reader,
            state: SearchState::new(separators),
        }
    }

    /// The whole line, once buffered; not yet consumed.
    fn poll_line(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.reader.poll_buffered_line(cx, &mut self.state)
    }

    /// Consumes the line of `len` bytes [`Search::poll_line`] returned, and starts
    /// over.
    fn consume(&mut self, len: usize) {
        self.reader.consume_line(len, &mut self.state);
    }
}

/// The future of [`BufReader::read_until`].
#[must_use = "futures do nothing unless polled"]
pub struct ReadUntil<'a, R> {
    search: Search<'a, R>,
    buf: &'a mut Vec<u8>,
}

impl<R: AsyncRead + Unpin> Future for ReadUntil<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let line = ready!(this.search.poll_line(cx))?;
        let len = line.len();
        this.buf.extend_from_slice(line);
        this.search.consume(len);
        Poll::Ready(Ok(len))
    }
}

/// The future of [`BufReader::read_line`].
#[must_use = "futures do nothing unless polled"]
pub struct ReadLine<'a, R> {
    search: Search<'a, R>,
    buf: &'a mut String,
}

impl<R: AsyncRead + Unpin> Future for ReadLine<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let line = ready!(this.search.poll_line(cx))?;
        let text = std::str::from_utf8(line).map_err(|err| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the line is not UTF-8 ({err}); it stays buffered"),
            )
        })?;
        let len = text.len();
        this.buf.push_str(text);
        this.search.consume(len);
        Poll::Ready(Ok(len))
    }
}

impl<R: AsyncRead + Unpin> AsyncBufRead for BufReader<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        if this.pos == this.filled {
            let room = this.capacity.min(this.buf.len());
            let n = ready!(Pin::new(&mut this.inner).poll_read(cx, &mut this.buf[..room]))?;
            this.pos = 0;
            this.filled = n;
        }
        Poll::Ready(Ok(&this.buf[this.pos..this.filled]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        self.get_mut().consume_buffered(amt);
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for BufReader<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pos == this.filled && out.len() >= this.capacity {
            return Pin::new(&mut this.inner).poll_read(cx, out);
        }
        let available = ready!(Pin::new(&mut *this).poll_fill_buf(cx))?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        this.consume_buffered(n);
        Poll::Ready(Ok(n))
    }
}

impl<R: fmt::Debug> fmt::Debug for BufReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufReader")
            .field("inner", &self.inner)
            .field("buffered", &(self.filled - self.pos))
            .field("capacity", &self.capacity)
            .field("limit", &self.limit)
            .finish()
    }
}

impl<R> fmt::Debug for ReadUntil<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadUntil")
            .field("state", &self.search.state)
            .finish_non_exhaustive()
    }
}

impl<R> fmt::Debug for ReadLine<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadLine")
            .field("state", &self.search.state)
            .finish_non_exhaustive()
    }
}
