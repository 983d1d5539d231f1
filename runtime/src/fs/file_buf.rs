//! [`FileBuf`]: the one buffer of a `File`, which travels to the blocking pool with
//! each read and write job and comes back with its outcome (`file.rs`, rule 2).
//!
//! # Rules
//!
//! 1. `bytes[pos..end]` are the live bytes: read-ahead not yet returned to the
//!    caller while the file is idle, or accepted bytes on their way to the OS while a
//!    write is in flight. `bytes.len()` is the room zero-initialised so far; it grows
//!    on demand, so a reused buffer is not zeroed again (a write swaps in the
//!    write-behind slot's bytes, [`FileBuf::take_from`], whose length is their own).
//! 2. Read-ahead means the OS cursor is [`FileBuf::unread`] bytes past the file's
//!    position. Read-ahead is dropped ([`FileBuf::discard`]) only once a job has
//!    moved the cursor back over it (`file_op.rs`), or has moved the cursor to a
//!    new position.

use std::fs::File as StdFile;
use std::io::{self, Read, Write};

/// Bytes in transit between a `File`'s caller and the OS (rule 1).
#[derive(Debug, Default)]
pub(super) struct FileBuf {
    bytes: Vec<u8>,
    pos: usize,
    end: usize,
}

impl FileBuf {
    /// The read-ahead bytes not yet returned (rule 2).
    pub(super) fn unread(&self) -> usize {
        self.end - self.pos
    }

    /// Copies read-ahead into `dst`; returns how many bytes.
    pub(super) fn copy_to(&mut self, dst: &mut [u8]) -> usize {
        let n = self.unread().min(dst.len());
        dst[..n].copy_from_slice(&self.bytes[self.pos..self.pos + n]);
        self.pos += n;
        n
    }

    /// Drops the live bytes (rule 2).
    pub(super) fn discard(&mut self) {
        self.pos = 0;
        self.end = 0;
    }

    /// Makes `src` the live bytes, for a write. There must be no read-ahead left.
    pub(super) fn fill_from(&mut self, src: &[u8]) {
        debug_assert_eq!(self.unread(), 0, "rule 2: read-ahead is discarded first");
        self.room(src.len())[..src.len()].copy_from_slice(src);
        self.pos = 0;
        self.end = src.len();
    }

    /// Makes the bytes of `src` the live bytes, for a write, by swapping allocations;
    /// `src` is left empty, holding this buffer's old allocation. There must be no
    /// read-ahead left.
    pub(super) fn take_from(&mut self, src: &mut Vec<u8>) {
        debug_assert_eq!(self.unread(), 0, "rule 2: read-ahead is discarded first");
        std::mem::swap(&mut self.bytes, src);
        src.clear();
        self.pos = 0;
        self.end = self.bytes.len();
    }

    /// Reads up to `want` bytes from `file` into the empty buffer (blocking); they
    /// become read-ahead.
    pub(super) fn read_from(&mut self, mut file: &StdFile, want: usize) -> io::Result<usize> {
        let room = self.room(want);
        let n = loop {
            match file.read(&mut room[..want]) {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        self.pos = 0;
        self.end = n;
        Ok(n)
    }

    /// Writes every live byte to `file` (blocking); the buffer is empty afterwards,
    /// whatever the outcome.
    pub(super) fn write_to(&mut self, mut file: &StdFile) -> io::Result<()> {
        let written = file.write_all(&self.bytes[self.pos..self.end]);
        self.discard();
        written
    }

    /// At least `len` bytes of room (rule 1).
    fn room(&mut self, len: usize) -> &mut [u8] {
        if self.bytes.len() < len {
            self.bytes.resize(len, 0);
        }
        &mut self.bytes
    }
}
