//! [`WriteBehind`]: bytes a `File` takes while its write job runs, which that job
//! writes after its own, so that a run of small writes costs one trip to the pool,
//! not one each (`file.rs`, rule 4).
//!
//! # Rules
//!
//! 1. Everything below is guarded by the one lock; the file and its write job are
//!    the only parties.
//! 2. The slot is *open* from just before a write job is spawned
//!    ([`WriteBehind::open`]) until that job finds it empty after writing
//!    ([`WriteBehind::refill_or_close`]) or fails ([`WriteBehind::close`]). Only
//!    while it is open may the file append ([`WriteBehind::append`]); an append that
//!    is refused leaves the caller to wait for the job, as without a slot.
//! 3. The job checks the slot and closes it in one critical section, so every byte
//!    appended while the slot was open is written by that job, after the bytes it
//!    took before, in the order appended: none is left behind for nobody, none is
//!    written twice.
//! 4. A failed job closes the slot and drops what is in it: those bytes were taken
//!    by the file, and the job's failure, reported by the file's next call
//!    (`file.rs`, rule 6), stands for them too. Dropping them keeps a later job from
//!    writing them out of order.

use super::file_buf::FileBuf;
use crate::loom::Mutex;

/// The slot shared by a `File` and its write job.
#[derive(Debug, Default)]
pub(super) struct WriteBehind {
    slot: Mutex<Slot>,
}

#[derive(Debug, Default)]
struct Slot {
    bytes: Vec<u8>,
    open: bool,
}

impl WriteBehind {
    /// Opens the slot for a write job about to be spawned (rule 2).
    pub(super) fn open(&self) {
        let mut slot = self.slot.lock();
        debug_assert!(slot.bytes.is_empty(), "rule 4: a closed slot is empty");
        slot.open = true;
    }

    /// Appends as much of `src` as fits below `max` bytes, if the slot is open;
    /// returns how much was taken (rule 2). `None`: wait for the job.
    pub(super) fn append(&self, src: &[u8], max: usize) -> Option<usize> {
        let mut slot = self.slot.lock();
        let room = max.saturating_sub(slot.bytes.len());
        if !slot.open || room == 0 {
            return None;
        }
        let n = src.len().min(room);
        slot.bytes.extend_from_slice(&src[..n]);
        Some(n)
    }

    /// For the job, after writing `buf`: moves the appended bytes into `buf` and
    /// returns `true`, or closes the slot and returns `false` when there are none
    /// (rule 3). `buf`'s old allocation is kept in the slot for the next appends.
    pub(super) fn refill_or_close(&self, buf: &mut FileBuf) -> bool {
        let mut slot = self.slot.lock();
        if slot.bytes.is_empty() {
            slot.open = false;
            return false;
        }
        buf.take_from(&mut slot.bytes);
        true
    }

    /// For a failed job: closes the slot and drops what is in it (rule 4).
    pub(super) fn close(&self) {
        let mut slot = self.slot.lock();
        slot.bytes.clear();
        slot.open = false;
    }
}
