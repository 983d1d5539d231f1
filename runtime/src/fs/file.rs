//! [`File`]: an open file whose blocking calls run on the runtime's blocking pool,
//! one at a time, behind a buffer (tokio::fs's model, without a pool round trip for
//! every small read).
//!
//! # Rules
//!
//! 1. **One operation at a time.** At most one blocking job per `File` is in flight
//!    (`in_flight`). Every call first *settles* it — waits for it and applies its
//!    outcome — so operations reach the OS in the order they were called, even when
//!    the futures that started them were dropped.
//! 2. **The buffer travels with reads and writes** (`file_buf.rs`): while a read or
//!    write job runs, `buf` is an empty stand-in; every other job leaves `buf` in the
//!    file.
//! 3. **Reads read ahead.** A read asks the OS for at least [`READ_AHEAD`] bytes (at
//!    most the [max buffer size](File::set_max_buf_size)); what the caller did not
//!    take is served by later reads without a job. A read whose caller has gone keeps
//!    its bytes for the next read: nothing read is lost.
//! 4. **A write accepts bytes only when it returns `Ready(Ok(n))`.** In that poll it
//!    copies up to the max buffer size into the buffer, starts the write job and
//!    returns; the write happens in the background. While a write job runs, a write
//!    appends to the job's write-behind slot instead (`write_behind.rs`; up to the
//!    max buffer size), which the same job writes after its own bytes, so a run of
//!    small writes costs one trip to the pool. A poll that returns `Pending` or an
//!    error has accepted nothing. So retrying a write, or dropping its future, never
//!    duplicates a byte.
//! 5. **Accepted bytes reach the OS** even if the caller's future or the `File` is
//!    dropped: the job owns them and runs to its end, and it is *mandatory* work for
//!    the pool, which runs it even if the runtime shuts down while it is queued
//!    (`blocking/pool.rs`, rule 4). A write the pool refuses (it is shut down) is not
//!    accepted: the poll returns the error.
//! 6. **A failure is never dropped while someone can hear it.** The failure of a
//!    write, `set_len`, `sync_all` or `sync_data` is returned by the next call on the
//!    `File` that settles it — read, write, flush, close, seek or an inherent method;
//!    a write that joins the write in flight (rule 4) does not settle it, and its
//!    bytes share that write's fate — whether or not the call that started it is
//!    still waiting. Only a `File`
//!    dropped with such a job unsettled leaves nobody to tell: `flush` (or `close`)
//!    before dropping to learn the outcome. A failed read, seek, `metadata` or
//!    `try_clone` whose caller has gone changed nothing and is dropped.
//! 7. **`flush` and `close`** return once every accepted byte has been handed to the
//!    OS (`write(2)` returned for all of them) and report rule 6's failures;
//!    [`File::sync_all`] and [`File::sync_data`] then make the bytes durable.
//! 8. **Read-ahead puts the OS cursor ahead** of the file's position
//!    (`file_buf.rs`, rule 2). A write first moves the cursor back (a job of its
//!    own); a seek from `Current` subtracts the read-ahead; `set_len`, `try_clone`
//!    and `into_std` move the cursor back first. If that fails (a pipe cannot seek),
//!    the read-ahead stays and the call fails: no byte is lost.
//! 9. **A seek in flight answers the caller asking for the same position.**
//!    `poll_seek` is called again with the same `SeekFrom` until it completes, and
//!    the in-flight seek is recognised by that position. A seek dropped while its job
//!    ran still moves the cursor, and a new seek to the *same* `SeekFrom` returns
//!    that seek's result instead of seeking twice (which matters for
//!    `SeekFrom::Current`); seek with `SeekFrom::Start` to be sure where you are.

use super::file_buf::FileBuf;
use super::file_op::{Done, FileOp, OpKind, Outcome};
use super::pool_hop::{job_failed, spawn_on_pool, Shutdown};
use super::write_behind::WriteBehind;
use super::OpenOptions;
use crate::Task;
use futures_io::{AsyncRead, AsyncSeek, AsyncWrite};
use std::fmt;
use std::fs::{File as StdFile, Metadata};
use std::future::{poll_fn, Future};
use std::io::{self, SeekFrom};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use weft_core::waiting::{self, WaitOn};

/// The least a read asks the OS for (rule 3), unless the max buffer size is smaller.
const READ_AHEAD: usize = 64 * 1024;
/// The most bytes one job reads or writes, by default (tokio's default too).
const DEFAULT_MAX_BUF_SIZE: usize = 2 * 1024 * 1024;

/// An open file, read and written asynchronously: std's `File` with its blocking
/// calls on the runtime's blocking pool (aiofiles' `open`, tokio's `fs::File`).
///
/// `File` implements [`AsyncRead`], [`AsyncWrite`] and [`AsyncSeek`], so the
/// extension traits in [`weft::io`](crate::io) give it `read_to_end`, `write_all`,
/// `seek` and the rest, and [`BufReader::lines`](crate::io::BufReader::lines) reads it
/// line by line.
///
/// - **Reads read ahead**: a small read fetches at least 64 KiB in one blocking call
///   and later reads are served from that, so reading in small pieces does not cost a
///   trip to the blocking pool each.
/// - **Writes return before the bytes reach the OS**: `write` copies them into the
///   file's buffer and starts a blocking write in the background. The next call on the
///   file waits for it; [`flush`](crate::io::AsyncWriteExt::flush) (or `close`) waits
///   for every accepted byte to reach the OS and reports a failed write, and
///   [`sync_all`](File::sync_all) makes them durable. Bytes a write accepted are
///   written even if the `File` is dropped, but a failure then goes unreported:
///   **flush before dropping a file you wrote to**. Writes made while one is in
///   flight join it, up to the max buffer size; for many small writes a
///   [`BufWriter`](crate::io::BufWriter) in front still saves the copying and
///   locking of each.
/// - **One operation at a time**: operations reach the OS in the order they were
///   called, even if the futures of earlier ones were dropped.
///
/// The chapter [`crate::guide::fs`] says what each cancellation leaves behind.
///
/// ```
/// use weft::fs::File;
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
///
/// # weft::run(async {
/// let path = std::env::temp_dir().join(format!("weft-doc-file-{}", std::process::id()));
/// let mut file = File::create(&path).await?;
/// file.write_all(b"hello, file").await?;
/// file.flush().await?; // every byte is in the file (and a failure would show here)
///
/// let mut text = String::new();
/// File::open(&path).await?.read_to_string(&mut text).await?;
/// assert_eq!(text, "hello, file");
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct File {
    std: Arc<StdFile>,
    /// Read-ahead while idle; an empty stand-in while a read or write runs (rule 2).
    buf: FileBuf,
    in_flight: Option<InFlight>,
    /// What writes take while a write job runs (rule 4).
    behind: Arc<WriteBehind>,
    max_buf_size: usize,
}

/// The job in flight (rule 1).
struct InFlight {
    kind: OpKind,
    task: Task<Done>,
}

impl File {
    /// Opens a file for reading (std's `File::open`).
    ///
    /// # Errors
    ///
    /// `NotFound`, `PermissionDenied`, or whatever else `open(2)` says; `Other`
    /// outside a weft runtime.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future does not stop the open on the pool; the file it opens is
    /// closed again.
    ///
    /// ```
    /// # weft::run(async {
    /// let err = weft::fs::File::open("/no/such/file").await.unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// # });
    /// ```
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new().read(true).open(path).await
    }

    /// Opens a file for writing, creating it if needed and truncating it if not
    /// (std's `File::create`).
    ///
    /// # Errors
    ///
    /// As `open(2)`: `NotFound` for a missing directory, `PermissionDenied`, ...
    ///
    /// # Cancel safety
    ///
    /// Dropping the future does not stop the open: the file may be created (and
    /// truncated) all the same.
    ///
    /// ```
    /// # weft::run(async {
    /// let path = std::env::temp_dir().join(format!("weft-doc-create-{}", std::process::id()));
    /// let file = weft::fs::File::create(&path).await?;
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .await
    }

    /// Creates a new file for reading and writing; fails with `AlreadyExists` if
    /// there is one (std's `File::create_new`).
    ///
    /// # Errors
    ///
    /// `AlreadyExists`, or as `open(2)`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future does not stop the open: the file may be created all the
    /// same.
    ///
    /// ```
    /// # weft::run(async {
    /// let path = std::env::temp_dir().join(format!("weft-doc-new-{}", std::process::id()));
    /// let _file = weft::fs::File::create_new(&path).await?;
    /// let again = weft::fs::File::create_new(&path).await.unwrap_err();
    /// assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn create_new(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .await
    }

    /// A blank [`OpenOptions`] (std's `File::options`).
    ///
    /// ```
    /// # weft::run(async {
    /// # let path = std::env::temp_dir().join(format!("weft-doc-options-{}", std::process::id()));
    /// let log = weft::fs::File::options().append(true).create(true).open(&path).await?;
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// Wraps an open std file. Its cursor is this file's position.
    ///
    /// ```
    /// # fn demo() -> std::io::Result<()> {
    /// let std_file = std::fs::File::open("/dev/null")?;
    /// let file = weft::fs::File::from_std(std_file);
    /// # Ok(()) }
    /// ```
    pub fn from_std(std: StdFile) -> File {
        File {
            std: Arc::new(std),
            buf: FileBuf::default(),
            in_flight: None,
            behind: Arc::default(),
            max_buf_size: DEFAULT_MAX_BUF_SIZE,
        }
    }

    /// The std file, once every accepted write has reached the OS and the cursor is
    /// back at this file's position (rule 8).
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), or of moving the cursor back; the
    /// `File` is gone either way (the std file closes).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the `File`: accepted bytes are still written
    /// (rule 5).
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-into-std-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// file.write_all(b"abc").await?;
    /// let std_file: std::fs::File = file.into_std().await?;
    /// assert_eq!(std_file.metadata()?.len(), 3);
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn into_std(mut self) -> io::Result<StdFile> {
        poll_fn(|cx| self.poll_settled(cx)).await?;
        if self.buf.unread() > 0 {
            match self.run(FileOp::Rewind).await? {
                Outcome::Rewind(result) => result?,
                other => unreachable!("rule 1: a rewind ends in a rewind, not {other:?}"),
            }
        }
        Arc::try_unwrap(self.std).or_else(|shared| shared.try_clone())
    }

    /// Flushes accepted writes to the OS, then makes the file's contents and
    /// metadata durable (`fsync`; std's `sync_all`).
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), or `fsync`'s.
    ///
    /// # Cancel safety
    ///
    /// Once started, the `fsync` runs to its end; its failure, if the future was
    /// dropped, is returned by the file's next call (rule 6).
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-sync-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// file.write_all(b"committed").await?;
    /// file.sync_all().await?; // on disk, even if the machine loses power now
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn sync_all(&mut self) -> io::Result<()> {
        self.run_durable(FileOp::SyncAll).await
    }

    /// As [`File::sync_all`], but metadata that is not needed to read the data back
    /// (a modification time) may not be made durable (`fdatasync`; std's
    /// `sync_data`).
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), or `fdatasync`'s.
    ///
    /// # Cancel safety
    ///
    /// As [`File::sync_all`].
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-sync-data-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// file.write_all(b"record").await?;
    /// file.sync_data().await?;
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn sync_data(&mut self) -> io::Result<()> {
        self.run_durable(FileOp::SyncData).await
    }

    /// Truncates or extends the file to `size` bytes (std's `set_len`). The position
    /// does not move; read-ahead is dropped (rule 8), so later reads see the new
    /// length.
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), `InvalidInput` for a file not open for
    /// writing, or `ftruncate`'s.
    ///
    /// # Cancel safety
    ///
    /// Once started, the truncation happens; its failure, if the future was dropped,
    /// is returned by the file's next call (rule 6).
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-set-len-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// file.write_all(b"0123456789").await?;
    /// file.set_len(4).await?;
    /// assert_eq!(file.metadata().await?.len(), 4);
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn set_len(&mut self, size: u64) -> io::Result<()> {
        self.run_durable(FileOp::SetLen(size)).await
    }

    /// The file's metadata, once every accepted write has reached the OS, so the
    /// length counts them (std's `File::metadata`).
    ///
    /// Takes `&mut self` because it waits for the operation in flight (rule 1).
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), or `fstat`'s.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-metadata-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// file.write_all(b"12345").await?;
    /// let metadata = file.metadata().await?;
    /// assert!(metadata.is_file());
    /// assert_eq!(metadata.len(), 5);
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn metadata(&mut self) -> io::Result<Metadata> {
        match self.run(FileOp::Metadata).await? {
            Outcome::Metadata(result) => result,
            other => unreachable!("rule 1: a metadata call ends in metadata, not {other:?}"),
        }
    }

    /// A second `File` for the same open file (std's `try_clone`: `dup`), once every
    /// accepted write has reached the OS and the cursor is back at this file's
    /// position (rule 8). The two share the OS cursor: reading or writing through one
    /// moves the other's position too.
    ///
    /// # Errors
    ///
    /// A failure of an earlier write (rule 6), of moving the cursor back, or of
    /// `dup` (`EMFILE`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a clone made after the future was dropped is closed again.
    ///
    /// ```
    /// # weft::run(async {
    /// use weft::io::AsyncWriteExt;
    /// # let path = std::env::temp_dir().join(format!("weft-doc-clone-{}", std::process::id()));
    ///
    /// let mut file = weft::fs::File::create(&path).await?;
    /// let mut other = file.try_clone().await?;
    /// file.write_all(b"one ").await?;
    /// file.flush().await?;
    /// other.write_all(b"two").await?; // the shared cursor is after "one "
    /// other.flush().await?;
    /// assert_eq!(weft::fs::read(&path).await?, b"one two");
    /// # weft::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn try_clone(&mut self) -> io::Result<File> {
        let clone = match self.run(FileOp::TryClone).await? {
            Outcome::Clone(result) => result?,
            other => unreachable!("rule 1: a clone ends in a clone, not {other:?}"),
        };
        let mut file = File::from_std(clone);
        file.max_buf_size = self.max_buf_size;
        Ok(file)
    }

    /// Sets the most bytes one blocking read or write moves (at least 1; 2 MiB by
    /// default, as tokio's). A read fetches at least 64 KiB, or this, whichever is
    /// smaller (rule 3); a larger write is accepted in pieces of this size.
    ///
    /// ```
    /// let mut file = weft::fs::File::from_std(std::fs::File::open("/dev/null").unwrap());
    /// file.set_max_buf_size(64 * 1024);
    /// assert_eq!(file.max_buf_size(), 64 * 1024);
    /// ```
    pub fn set_max_buf_size(&mut self, max_buf_size: usize) {
        self.max_buf_size = max_buf_size.max(1);
    }

    /// The most bytes one blocking read or write moves; see
    /// [`File::set_max_buf_size`].
    ///
    /// ```
    /// let file = weft::fs::File::from_std(std::fs::File::open("/dev/null").unwrap());
    /// assert_eq!(file.max_buf_size(), 2 * 1024 * 1024);
    /// ```
    pub fn max_buf_size(&self) -> usize {
        self.max_buf_size
    }

    /// Settles what is in flight, then runs `op` and waits for its outcome (rule 1).
    /// Rule 6's failures come back as errors.
    async fn run(&mut self, op: FileOp) -> io::Result<Outcome> {
        poll_fn(|cx| self.poll_settled(cx)).await?;
        self.start(op)?;
        match poll_fn(|cx| self.poll_settle(cx)).await? {
            Some(outcome) => Ok(outcome),
            None => unreachable!("rule 1: the job just started is in flight"),
        }
    }

    /// [`File::run`] for `set_len`, `sync_all` and `sync_data`, whose failures
    /// [`File::poll_settle`] reports itself.
    async fn run_durable(&mut self, op: FileOp) -> io::Result<()> {
        self.run(op).await.map(drop)
    }

    /// Starts `op` on the pool (rule 1). The file must be settled. A write is
    /// mandatory work for the pool: a shutdown that finds it queued still runs it
    /// (rule 5).
    fn start(&mut self, op: FileOp) -> io::Result<()> {
        debug_assert!(self.in_flight.is_none(), "rule 1: one job at a time");
        let kind = op.kind();
        let shutdown = match kind {
            OpKind::Write { .. } => {
                self.behind.open();
                Shutdown::Runs
            }
            _ => Shutdown::Cancels,
        };
        let std = self.std.clone();
        let unread = self.buf.unread() as u64;
        let task = match spawn_on_pool(move || op.run(&std, unread), shutdown) {
            Ok(task) => task,
            Err(err) => {
                self.behind.close();
                return Err(err);
            }
        };
        self.in_flight = Some(InFlight { kind, task });
        Ok(())
    }

    /// Waits for the job in flight, applies its outcome to the file, and returns it;
    /// `None` if nothing was in flight. A failed write or durable operation comes back
    /// as the error (rule 6).
    fn poll_settle(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Outcome>>> {
        let Some(in_flight) = &mut self.in_flight else {
            return Poll::Ready(Ok(None));
        };
        let kind = in_flight.kind;
        let poll = Pin::new(&mut in_flight.task).poll(cx);
        if poll.is_pending() {
            // The helper future around (`read_exact`, ...) adds the user's line.
            waiting::record_unlocated(&WaitOn("File"));
        }
        let done = ready!(poll);
        self.in_flight = None;
        let outcome = match done {
            Ok(done) => {
                if let Some(buf) = done.buf {
                    self.buf = buf;
                }
                if done.rewound {
                    self.buf.discard();
                }
                done.outcome
            }
            Err(err) => {
                // The job never closed the write-behind slot (write_behind.rs, rule 4).
                self.behind.close();
                kind.failed(job_failed(err, &kind.describe()))
            }
        };
        Poll::Ready(match outcome {
            Outcome::Write(Err(err)) | Outcome::Durable(Err(err)) => Err(err),
            outcome => Ok(Some(outcome)),
        })
    }

    /// Settles the job in flight, if any, discarding an outcome nobody waits for
    /// (rule 6).
    fn poll_settled(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_settle(cx))?;
        Poll::Ready(Ok(()))
    }
}

impl From<StdFile> for File {
    fn from(std: StdFile) -> File {
        File::from_std(std)
    }
}

impl AsyncRead for File {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        dst: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        loop {
            match ready!(this.poll_settle(cx))? {
                Some(Outcome::Read(Ok(0))) => return Poll::Ready(Ok(0)),
                Some(Outcome::Read(Err(err))) => return Poll::Ready(Err(err)),
                _ => {}
            }
            if this.buf.unread() > 0 || dst.is_empty() {
                return Poll::Ready(Ok(this.buf.copy_to(dst)));
            }
            let want = dst.len().max(READ_AHEAD).min(this.max_buf_size);
            let buf = std::mem::take(&mut this.buf);
            this.start(FileOp::Read { buf, want })?;
        }
    }
}

impl AsyncWrite for File {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        loop {
            if let Some(InFlight {
                kind: OpKind::Write { .. },
                ..
            }) = this.in_flight
            {
                if let Some(n) = this.behind.append(src, this.max_buf_size) {
                    return Poll::Ready(Ok(n));
                }
            }
            if let Some(Outcome::Rewind(Err(err))) = ready!(this.poll_settle(cx))? {
                // The rewind this write needs failed; the read-ahead stays (rule 8).
                return Poll::Ready(Err(err));
            }
            if src.is_empty() {
                return Poll::Ready(Ok(0));
            }
            if this.buf.unread() > 0 {
                this.start(FileOp::Rewind)?;
                continue;
            }
            let len = src.len().min(this.max_buf_size);
            let mut buf = std::mem::take(&mut this.buf);
            buf.fill_from(&src[..len]);
            let behind = this.behind.clone();
            if let Err(err) = this.start(FileOp::Write { buf, behind }) {
                // Not accepted (rule 4); the buffer's allocation goes with it.
                return Poll::Ready(Err(err));
            }
            return Poll::Ready(Ok(len));
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_settled(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_settled(cx)
    }
}

impl AsyncSeek for File {
    fn poll_seek(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        pos: SeekFrom,
    ) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        loop {
            let ours = matches!(&this.in_flight, Some(f) if f.kind == OpKind::Seek(pos));
            match ready!(this.poll_settle(cx))? {
                Some(Outcome::Seek(result)) if ours => return Poll::Ready(result),
                _ => {}
            }
            this.start(FileOp::Seek(pos))?;
        }
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("std", &self.std)
            .field("read_ahead", &self.buf.unread())
            .field("in_flight", &self.in_flight.as_ref().map(|op| op.kind))
            .field("max_buf_size", &self.max_buf_size)
            .finish()
    }
}
