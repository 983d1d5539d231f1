//! What must not compile because a type is not `Send` or `Sync`, with the errors users
//! see (the `.stderr` snapshots): a `!Send` future or output given to `weft::spawn`,
//! `Handle::spawn` or a `TaskGroup`, an `EnterGuard` (weft's or weft-io's) moved to
//! another thread, a lock guard of a `!Sync` value shared between threads. The
//! positive claims are in `api_send_sync.rs`.
//!
//! Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p weft-rt --test api_send_sync_ui` and read every
//! changed one before committing it.

#[test]
fn what_is_not_send_or_sync_stays_put() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/not_send/*.rs");
}
