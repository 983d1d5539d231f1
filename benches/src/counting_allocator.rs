//! `CountingAllocator`: the system allocator, counting what each thread allocates.
//!
//! A binary that wants the counts installs it:
//!
//! ```
//! use weft_benches::{AllocationCount, CountingAllocator};
//!
//! #[global_allocator]
//! static ALLOCATOR: CountingAllocator = CountingAllocator;
//!
//! let before = AllocationCount::now();
//! let v = vec![0u8; 100];
//! let allocated = before.elapsed();
//! assert_eq!((allocated.bytes, allocated.allocations), (100, 1));
//! drop(v);
//! ```
//!
//! The counts are per thread: a measurement taken on one thread is not disturbed by
//! other threads (the test harness's, or a runtime's workers), so it is deterministic
//! for code that runs on the measuring thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the bytes and the calls of every allocation (and the
/// growth of every reallocation) made by the current thread.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingAllocator;

thread_local! {
    // Const-initialised and without a destructor: reading them never allocates, so the
    // allocator can touch them without recursing.
    static BYTES: Cell<u64> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn record(bytes: usize) {
    let _ = BYTES.try_with(|b| b.set(b.get() + bytes as u64));
    let _ = ALLOCATIONS.try_with(|a| a.set(a.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counting only touches thread-local cells.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`: `ptr` and `layout` come from `System` through us.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size.saturating_sub(layout.size()));
        // SAFETY: as for `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What the current thread has allocated so far (meaningful only with
/// [`CountingAllocator`] installed as the global allocator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocationCount {
    /// Bytes requested.
    pub bytes: u64,
    /// Calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub allocations: u64,
}

impl AllocationCount {
    /// The current thread's totals.
    pub fn now() -> AllocationCount {
        AllocationCount {
            bytes: BYTES.with(Cell::get),
            allocations: ALLOCATIONS.with(Cell::get),
        }
    }

    /// What the current thread allocated since `self` was taken.
    pub fn elapsed(self) -> AllocationCount {
        let now = AllocationCount::now();
        AllocationCount {
            bytes: now.bytes - self.bytes,
            allocations: now.allocations - self.allocations,
        }
    }
}
