//! Prints the bytes allocated per spawned task (an 80-byte future) on weft and tokio,
//! for `docs/performance.md`. Method: `weft_benches::task_bytes`.
//!
//! Run: `cargo run --release -p weft-benches --bin task_bytes`

use weft_benches::task_bytes::{self, PerTask, TASKS};
use weft_benches::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() {
    let weft = task_bytes::weft(TASKS);
    let tokio = task_bytes::tokio(TASKS);
    println!(
        "Allocated per spawned task (80-byte future; rounds of {TASKS} and {} tasks)",
        2 * TASKS
    );
    println!();
    println!("| spawn | weft | tokio | weft ÷ tokio |");
    println!("|-------|------|-------|--------------|");
    row(
        "current thread, inside block_on",
        weft.current_thread,
        tokio.current_thread,
    );
    row(
        "multi-thread (2 workers), from outside",
        weft.multi_thread_remote,
        tokio.multi_thread_remote,
    );
}

fn row(what: &str, weft: PerTask, tokio: PerTask) {
    println!(
        "| {what} | {} | {} | {:.2} |",
        describe(weft),
        describe(tokio),
        weft.bytes / tokio.bytes
    );
}

fn describe(per_task: PerTask) -> String {
    format!(
        "{:.1} B in {:.2} allocations",
        per_task.bytes, per_task.allocations
    )
}
