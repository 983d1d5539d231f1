//! weft allocates no more per spawned task than tokio (an 80-byte future; method in
//! `weft_benches::task_bytes`). Allocation counts are deterministic, so this is a test,
//! not a timing.

use weft_benches::task_bytes::{self, TASKS};
use weft_benches::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn weft_allocates_no_more_per_task_than_tokio() {
    let weft = task_bytes::weft(TASKS);
    let tokio = task_bytes::tokio(TASKS);
    println!("bytes per task (80-byte future): weft {weft:?}, tokio {tokio:?}");
    assert!(
        weft.current_thread.bytes <= tokio.current_thread.bytes,
        "current thread: weft allocates {} bytes per task, tokio {}",
        weft.current_thread.bytes,
        tokio.current_thread.bytes,
    );
    assert!(
        weft.multi_thread_remote.bytes <= tokio.multi_thread_remote.bytes,
        "multi-thread, spawned from outside: weft allocates {} bytes per task, tokio {}",
        weft.multi_thread_remote.bytes,
        tokio.multi_thread_remote.bytes,
    );
}
