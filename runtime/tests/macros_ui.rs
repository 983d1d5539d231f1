//! `#[weft::main]`, `#[weft::test]`, `join!`, `try_join!` and `select!` at compile
//! time: what must compile and run, and the exact errors for each mistake (the
//! `.stderr` snapshots).
//!
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test -p weft-rt --test macros_ui`
//! and read every changed one before committing it.

#[test]
fn macros_compile_and_report_mistakes() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/main.rs");
    t.pass("tests/ui/pass/main_result.rs");
    t.pass("tests/ui/pass/options.rs");
    t.pass("tests/ui/pass/start_paused.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
