//! [`FileOp`]: one blocking operation of a `File`, as it travels to the pool, and
//! [`Done`], what comes back (`file.rs`, rules 1-2).

use super::file_buf::FileBuf;
use super::write_behind::WriteBehind;
use std::fs::{File as StdFile, Metadata};
use std::io::{self, Seek, SeekFrom};
use std::sync::Arc;

/// What a `File` asks the blocking pool to do.
pub(super) enum FileOp {
    /// Read up to `want` bytes into the (empty) buffer, which travels with the job.
    Read {
        buf: FileBuf,
        want: usize,
    },
    /// Write the buffer's bytes, which travel with the job, then what the file
    /// appends to `behind` meanwhile (`write_behind.rs`).
    Write {
        buf: FileBuf,
        behind: Arc<WriteBehind>,
    },
    /// Move the cursor, counting from the file's position, not the OS cursor.
    Seek(SeekFrom),
    /// Move the cursor back over the read-ahead (before a write, or `into_std`).
    Rewind,
    SetLen(u64),
    TryClone,
    SyncAll,
    SyncData,
    Metadata,
}

/// What a `File` remembers of the operation in flight while it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum OpKind {
    Read,
    /// A write of `len` accepted bytes.
    Write {
        len: usize,
    },
    /// A seek to the position its caller asked for (`file.rs`, rule 9).
    Seek(SeekFrom),
    Rewind,
    /// An operation whose failure the next call reports if its caller has gone
    /// (`file.rs`, rule 6): `set_len`, `sync_all`, `sync_data`.
    Durable,
    Metadata,
    Clone,
}

/// The outcome of a [`FileOp`].
#[derive(Debug)]
pub(super) enum Outcome {
    Read(io::Result<usize>),
    Write(io::Result<()>),
    Seek(io::Result<u64>),
    Rewind(io::Result<()>),
    /// `set_len`, `sync_all`, `sync_data`.
    Durable(io::Result<()>),
    Metadata(io::Result<Metadata>),
    Clone(io::Result<StdFile>),
}

/// What a job hands back.
#[derive(Debug)]
pub(super) struct Done {
    pub(super) outcome: Outcome,
    /// The buffer, if it travelled with the job.
    pub(super) buf: Option<FileBuf>,
    /// The OS cursor was moved back over the read-ahead, which the file must now
    /// drop (`file_buf.rs`, rule 2).
    pub(super) rewound: bool,
}

impl FileOp {
    pub(super) fn kind(&self) -> OpKind {
        match self {
            FileOp::Read { .. } => OpKind::Read,
            FileOp::Write { buf, .. } => OpKind::Write { len: buf.unread() },
            FileOp::Seek(pos) => OpKind::Seek(*pos),
            FileOp::Rewind => OpKind::Rewind,
            FileOp::SetLen(_) | FileOp::SyncAll | FileOp::SyncData => OpKind::Durable,
            FileOp::TryClone => OpKind::Clone,
            FileOp::Metadata => OpKind::Metadata,
        }
    }

    /// Runs on a pool thread. `unread` is the read-ahead the file holds: how far the
    /// OS cursor is past the file's position.
    pub(super) fn run(self, file: &StdFile, unread: u64) -> Done {
        let (outcome, buf, rewound) = match self {
            FileOp::Read { mut buf, want } => {
                let read = buf.read_from(file, want);
                (Outcome::Read(read), Some(buf), false)
            }
            FileOp::Write { mut buf, behind } => {
                let written = write_behind(file, &mut buf, &behind);
                (Outcome::Write(written), Some(buf), false)
            }
            FileOp::Seek(pos) => {
                let (moved, rewound) = seek_from_position(file, pos, unread);
                (Outcome::Seek(moved), None, rewound)
            }
            FileOp::Rewind => {
                let rewound = rewind(file, unread);
                let ok = rewound.is_ok();
                (Outcome::Rewind(rewound), None, ok)
            }
            FileOp::SetLen(size) => match rewind(file, unread) {
                Ok(()) => (Outcome::Durable(file.set_len(size)), None, true),
                Err(err) => (Outcome::Durable(Err(err)), None, false),
            },
            FileOp::TryClone => match rewind(file, unread) {
                Ok(()) => (Outcome::Clone(file.try_clone()), None, true),
                Err(err) => (Outcome::Clone(Err(err)), None, false),
            },
            FileOp::SyncAll => (Outcome::Durable(file.sync_all()), None, false),
            FileOp::SyncData => (Outcome::Durable(file.sync_data()), None, false),
            FileOp::Metadata => (Outcome::Metadata(file.metadata()), None, false),
        };
        Done {
            outcome,
            buf,
            rewound,
        }
    }
}

impl OpKind {
    /// The outcome of an operation whose job never ran or never finished (the pool
    /// shut down first, or it panicked): `err`, in the shape the kind expects.
    pub(super) fn failed(self, err: io::Error) -> Outcome {
        match self {
            OpKind::Read => Outcome::Read(Err(err)),
            OpKind::Write { .. } => Outcome::Write(Err(err)),
            OpKind::Seek(_) => Outcome::Seek(Err(err)),
            OpKind::Rewind => Outcome::Rewind(Err(err)),
            OpKind::Durable => Outcome::Durable(Err(err)),
            OpKind::Metadata => Outcome::Metadata(Err(err)),
            OpKind::Clone => Outcome::Clone(Err(err)),
        }
    }

    /// Names the operation in an error message.
    pub(super) fn describe(self) -> String {
        match self {
            OpKind::Read => "a file read".to_owned(),
            OpKind::Write { len } => {
                format!("the background write of {len} or more bytes accepted earlier")
            }
            OpKind::Seek(_) => "a file seek".to_owned(),
            OpKind::Rewind => "moving the file's cursor back over its read-ahead".to_owned(),
            OpKind::Durable => "set_len, sync_all or sync_data".to_owned(),
            OpKind::Metadata => "reading a file's metadata".to_owned(),
            OpKind::Clone => "cloning a file handle".to_owned(),
        }
    }
}

/// Writes `buf`, then what the file appended to `behind` meanwhile, until `behind`
/// is empty and closed or a write fails (`write_behind.rs`, rules 3-4).
fn write_behind(file: &StdFile, buf: &mut FileBuf, behind: &WriteBehind) -> io::Result<()> {
    loop {
        if let Err(err) = buf.write_to(file) {
            behind.close();
            return Err(err);
        }
        if !behind.refill_or_close(buf) {
            return Ok(());
        }
    }
}

/// Seeks to `pos` counted from the file's position, which is `unread` bytes before
/// the OS cursor: one system call, or two when the offset would overflow. Also says
/// whether the cursor left the read-ahead behind (`file_buf.rs`, rule 2): on success,
/// or when the first of two calls succeeded.
fn seek_from_position(mut file: &StdFile, pos: SeekFrom, unread: u64) -> (io::Result<u64>, bool) {
    let SeekFrom::Current(offset) = pos else {
        let moved = file.seek(pos);
        let rewound = moved.is_ok();
        return (moved, rewound);
    };
    let adjusted = i64::try_from(unread)
        .ok()
        .and_then(|unread| offset.checked_sub(unread));
    match adjusted {
        Some(adjusted) => {
            let moved = file.seek(SeekFrom::Current(adjusted));
            let rewound = moved.is_ok();
            (moved, rewound)
        }
        None => match rewind(file, unread) {
            Ok(()) => (file.seek(pos), true),
            Err(err) => (Err(err), false),
        },
    }
}

/// Moves the OS cursor back over `unread` bytes of read-ahead.
fn rewind(mut file: &StdFile, unread: u64) -> io::Result<()> {
    if unread == 0 {
        return Ok(());
    }
    let back = i64::try_from(unread).map_err(|_| io::ErrorKind::InvalidInput)?;
    file.seek(SeekFrom::Current(-back)).map(drop)
}
