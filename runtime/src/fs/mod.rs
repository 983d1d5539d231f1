//! Files and directories, with their blocking system calls on the runtime's blocking
//! pool (tokio::fs's model; what asyncio users get from aiofiles, or from
//! `asyncio.to_thread(open(...).read)`).
//!
//! - [`File`] and [`OpenOptions`]: an open file implementing
//!   [`AsyncRead`](crate::io::AsyncRead), [`AsyncWrite`](crate::io::AsyncWrite) and
//!   [`AsyncSeek`](crate::io::AsyncSeek), buffered so small reads do not each cost a
//!   trip to the pool. [`BufReader::lines`](crate::io::BufReader::lines) reads it line
//!   by line (`async for line in f`).
//! - Whole-file helpers, one blocking call each: [`read`], [`read_to_string`],
//!   [`write`](fn@write), [`copy`], and the operations on names: [`rename`], [`remove_file`],
//!   [`remove_dir`], [`remove_dir_all`], [`create_dir`], [`create_dir_all`],
//!   [`metadata`], [`symlink_metadata`], [`try_exists`], [`canonicalize`],
//!   [`hard_link`], [`read_link`], [`set_permissions`].
//! - [`read_dir`]: a directory's entries as a [`Stream`](futures_core::Stream),
//!   read in batches.
//!
//! # Rules
//!
//! 1. Every blocking call goes through the current runtime's blocking pool
//!    (`pool_hop.rs`); outside a runtime a call fails with an `Other` error instead
//!    of panicking.
//! 2. A call that has reached the pool runs to its end even if its future is
//!    dropped: a dropped `write` or `remove_file` may still happen. Each function's
//!    `# Cancel safety` says what that means for it.
//! 3. A `File` runs one blocking operation at a time, in call order, and never loses
//!    or duplicates a byte a write accepted; its rules are in `file.rs`.
//!
//! The guide is [`crate::guide::fs`].
//!
//! ```
//! use weft::fs::File;
//! use weft::io::BufReader;
//!
//! # weft::run(async {
//! let path = std::env::temp_dir().join(format!("weft-doc-fs-{}", std::process::id()));
//! weft::fs::write(&path, "first\nsecond\n").await?;
//!
//! let mut lines = BufReader::new(File::open(&path).await?).lines();
//! while let Some(line) = lines.next_line().await? {
//!     println!("{line}");
//! }
//! weft::fs::remove_file(&path).await?;
//! # std::io::Result::Ok(())
//! # }).unwrap();
//! ```

mod contents;
mod file;
mod file_buf;
mod file_op;
mod open_options;
mod paths;
mod pool_hop;
mod read_dir;
mod write_behind;

pub use contents::{copy, read, read_to_string, write};
pub use file::File;
pub use open_options::OpenOptions;
pub use paths::{
    canonicalize, create_dir, create_dir_all, hard_link, metadata, read_link, remove_dir,
    remove_dir_all, remove_file, rename, set_permissions, symlink_metadata, try_exists,
};
pub use read_dir::{read_dir, DirEntry, ReadDir};
