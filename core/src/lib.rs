//! Internal to weft: what `weft-rt`, `weft-rt-io` and `weft-rt-sync` share, so each
//! mechanism exists once. Not for users, and no stability promise: depend on `weft-rt`.
//!
//! - [`loom`]: the one facade every atomic, lock, cell, `Arc`, thread and work queue of
//!   weft comes from — std's, parking_lot's and crossbeam-deque's normally, loom's
//!   model-checked ones under `--cfg weft_loom` (weft's own switch, as crossbeam's is
//!   `crossbeam_loom`: a downstream crate's `--cfg loom` leaves weft alone).
//! - [`WakeBatch`]: wakers collected under a lock and woken after it is released.
//! - [`waiting`]: the hook through which weft's leaf futures record, in the task they
//!   suspend, what it waits on and at which line.
#![doc(html_no_source)]

pub mod loom;
pub mod waiting;
mod wake_batch;

pub use wake_batch::WakeBatch;
