//! What must not compile because a type is not `Send` or `Sync`, with the errors users
//! see (the `.stderr` snapshots), one trybuild run for all of them:
//!
//! - `tests/ui/not_send`: a `!Send` future or output given to `Handle::spawn` or a
//!   `TaskGroup`, std's `MutexGuard` held across an await, an `EnterGuard` (weft's or
//!   weft-io's) moved to another thread, a lock guard of a `!Sync` value shared between
//!   threads.
//! - `tests/ui/local`: `spawn_local`'s tasks cannot reach another thread — not through
//!   their handle, a reference to it, a `Send` task holding it, or their output — and a
//!   future that is not `Send` cannot go to `spawn`.
//!
//! The positive claims are in `api_send_sync.rs`. Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p weft-rt --test api_send_sync_ui` and read every
//! changed one before committing it.

#[test]
fn what_is_not_send_or_sync_stays_put() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/not_send/*.rs");
    t.compile_fail("tests/ui/local/*.rs");
}
