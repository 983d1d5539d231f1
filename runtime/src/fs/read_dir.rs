//! [`read_dir`]: a directory's entries as a [`Stream`], read in batches on the
//! blocking pool.
//!
//! # Rules
//!
//! 1. One blocking job reads up to [`BATCH`] entries (and each one's file type, which
//!    the directory listing usually carries for free); the stream hands them out one
//!    by one without another job. At most one job is in flight per [`ReadDir`].
//! 2. A batch whose caller has gone (a dropped [`ReadDir::next_entry`] future) is kept
//!    when its job ends, for the next call: no entry is skipped or repeated.
//! 3. An error reading one entry is yielded in its place and the listing goes on, as
//!    std's `ReadDir` does. If the pool cannot read the next batch — polled outside a
//!    runtime, or the runtime's pool shut down — that is yielded as an error and the
//!    listing ends (the OS handle went with the job).

use super::pool_hop::{blocking_call, job_failed, spawn_on_pool, Shutdown};
use crate::Task;
use futures_core::Stream;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::fs::{FileType, Metadata};
use std::future::{poll_fn, Future};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The most entries one blocking job reads (rule 1).
const BATCH: usize = 128;

/// Lists the entries of the directory at `path` (std's `fs::read_dir`): a
/// [`ReadDir`] to iterate with [`next_entry`](ReadDir::next_entry) or as a
/// [`Stream`]. `.` and `..` are not listed; the order is the file system's.
///
/// # Errors
///
/// `NotFound`, `PermissionDenied`, `NotADirectory`, ... as `opendir`; `Other`
/// outside a weft runtime.
///
/// # Cancel safety
///
/// Cancel safe: dropping the future closes a directory it opened.
///
/// ```
/// # weft::run(async {
/// let dir = std::env::temp_dir().join(format!("weft-doc-read-dir-{}", std::process::id()));
/// weft::fs::create_dir_all(dir.join("sub")).await?;
/// weft::fs::write(dir.join("a.txt"), "a").await?;
///
/// let mut names = Vec::new();
/// let mut entries = weft::fs::read_dir(&dir).await?;
/// while let Some(entry) = entries.next_entry().await? {
///     names.push(entry.file_name().into_string().unwrap());
/// }
/// names.sort();
/// assert_eq!(names, ["a.txt", "sub"]);
/// # weft::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read_dir(path: impl AsRef<Path>) -> io::Result<ReadDir> {
    let path = path.as_ref().to_owned();
    let std = blocking_call(move || std::fs::read_dir(path)).await?;
    Ok(ReadDir {
        state: State::Idle(Batch {
            entries: VecDeque::new(),
            rest: Some(std),
        }),
    })
}

/// The entries of a directory, from [`read_dir`]: a [`Stream`] of
/// `io::Result<DirEntry>`, and [`ReadDir::next_entry`] for a `while let` loop.
///
/// Entries are read in batches of up to 128 per trip to the blocking pool.
///
/// ```
/// # weft::run(async {
/// let mut entries = weft::fs::read_dir("/").await?;
/// let first = entries.next_entry().await?;
/// assert!(first.is_some());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct ReadDir {
    state: State,
}

enum State {
    Idle(Batch),
    Busy(Task<Batch>),
}

/// Entries read and not yet handed out, and the listing they came from.
struct Batch {
    entries: VecDeque<io::Result<DirEntry>>,
    /// `None` once the listing is exhausted, or lost (rule 3).
    rest: Option<std::fs::ReadDir>,
}

impl Batch {
    /// Reads up to [`BATCH`] entries (blocking; rule 1).
    fn read(mut self) -> Batch {
        if let Some(rest) = &mut self.rest {
            for _ in 0..BATCH {
                match rest.next() {
                    Some(entry) => self.entries.push_back(entry.map(DirEntry::new)),
                    None => {
                        self.rest = None;
                        break;
                    }
                }
            }
        }
        self
    }
}

impl ReadDir {
    /// The next entry: `Ok(Some(entry))`, `Ok(None)` once every entry was listed, or
    /// an error reading one entry (the listing goes on after it).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a batch being read when the future is dropped is kept for the
    /// next call (rule 2).
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// while let Some(entry) = entries.next_entry().await? {
    ///     let _path = entry.path();
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn next_entry(&mut self) -> io::Result<Option<DirEntry>> {
        poll_fn(|cx| self.poll_next_entry(cx)).await
    }

    /// Polls for the next entry (rules 1-3).
    fn poll_next_entry(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<DirEntry>>> {
        loop {
            match &mut self.state {
                State::Idle(batch) => {
                    if let Some(entry) = batch.entries.pop_front() {
                        return Poll::Ready(entry.map(Some));
                    }
                    let Some(rest) = batch.rest.take() else {
                        return Poll::Ready(Ok(None));
                    };
                    let next = Batch {
                        entries: std::mem::take(&mut batch.entries),
                        rest: Some(rest),
                    };
                    match spawn_on_pool(move || next.read(), Shutdown::Cancels) {
                        Ok(task) => self.state = State::Busy(task),
                        // The listing went with the refused job: it ends here.
                        Err(err) => return Poll::Ready(Err(err)),
                    }
                }
                State::Busy(task) => {
                    let read = ready!(Pin::new(task).poll(cx));
                    let (batch, failure) = match read {
                        Ok(batch) => (batch, None),
                        Err(err) => (
                            Batch {
                                entries: VecDeque::new(),
                                rest: None,
                            },
                            Some(job_failed(err, "reading a directory")),
                        ),
                    };
                    self.state = State::Idle(batch);
                    if let Some(err) = failure {
                        return Poll::Ready(Err(err));
                    }
                }
            }
        }
    }
}

impl Stream for ReadDir {
    type Item = io::Result<DirEntry>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_entry(cx).map(Result::transpose)
    }
}

impl fmt::Debug for ReadDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ReadDir");
        match &self.state {
            State::Idle(batch) => debug
                .field("buffered", &batch.entries.len())
                .field("exhausted", &batch.rest.is_none()),
            State::Busy(_) => debug.field("reading", &true),
        };
        debug.finish()
    }
}

/// One entry of a [`ReadDir`] (std's `DirEntry`, with its file type read in the
/// same blocking call as the entry).
///
/// ```
/// # weft::run(async {
/// let mut entries = weft::fs::read_dir("/").await?;
/// if let Some(entry) = entries.next_entry().await? {
///     println!("{}: {:?}", entry.path().display(), entry.file_type().await?);
/// }
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub struct DirEntry {
    std: std::fs::DirEntry,
    /// Read with the entry (rule 1); `None` if that failed, and then asked again.
    file_type: Option<FileType>,
}

impl DirEntry {
    fn new(std: std::fs::DirEntry) -> DirEntry {
        let file_type = std.file_type().ok();
        DirEntry { std, file_type }
    }

    /// The entry's full path: the directory's path joined with
    /// [`file_name`](DirEntry::file_name).
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// if let Some(entry) = entries.next_entry().await? {
    ///     assert!(entry.path().starts_with("/"));
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn path(&self) -> PathBuf {
        self.std.path()
    }

    /// The entry's name in its directory.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// if let Some(entry) = entries.next_entry().await? {
    ///     assert!(!entry.file_name().is_empty());
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn file_name(&self) -> OsString {
        self.std.file_name()
    }

    /// The entry's inode number, as the directory listing gives it (Unix).
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// if let Some(entry) = entries.next_entry().await? {
    ///     let _inode: u64 = entry.ino();
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn ino(&self) -> u64 {
        std::os::unix::fs::DirEntryExt::ino(&self.std)
    }

    /// The entry's metadata, without following a symbolic link (std's
    /// `DirEntry::metadata`).
    ///
    /// # Errors
    ///
    /// `NotFound` if the entry was removed since it was listed, or `lstat`'s error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// if let Some(entry) = entries.next_entry().await? {
    ///     let _metadata = entry.metadata().await?;
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let path = self.std.path();
        blocking_call(move || std::fs::symlink_metadata(path)).await
    }

    /// The entry's file type, without following a symbolic link. Usually known from
    /// the listing already, with no trip to the blocking pool.
    ///
    /// # Errors
    ///
    /// When the listing did not say, as [`DirEntry::metadata`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it changes nothing.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut entries = weft::fs::read_dir("/").await?;
    /// if let Some(entry) = entries.next_entry().await? {
    ///     let kind = entry.file_type().await?;
    ///     let _ = (kind.is_dir(), kind.is_file(), kind.is_symlink());
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn file_type(&self) -> io::Result<FileType> {
        match self.file_type {
            Some(file_type) => Ok(file_type),
            None => Ok(self.metadata().await?.file_type()),
        }
    }
}

impl fmt::Debug for DirEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DirEntry").field(&self.std.path()).finish()
    }
}
