//! `spawn_local` at compile time: a local task cannot reach another thread — not
//! through its handle, a reference to it, a `Send` task holding it, or its output —
//! and a future that is not `Send` cannot go to `spawn`. The `.stderr` snapshots pin
//! rustc's messages.
//!
//! Regenerate them with `TRYBUILD=overwrite cargo test -p weft-rt --test task_local_ui`
//! and read every changed one before committing it.

#[test]
fn local_tasks_cannot_escape_their_thread() {
    trybuild::TestCases::new().compile_fail("tests/ui/local/*.rs");
}
