//! Task ids: unique for the life of the process, never reused.

use crate::loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::fmt;

/// An opaque identifier of a task, unique among all tasks of the process.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// let (a, b) = rt.block_on(async { (weft::spawn(async {}), weft::spawn(async {})) });
/// assert_ne!(a.id(), b.id());
/// ```
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq, Ord, PartialOrd)]
pub struct TaskId(u64);

impl TaskId {
    pub(crate) fn next() -> TaskId {
        #[cfg(not(weft_loom))]
        static NEXT: AtomicU64 = AtomicU64::new(1);
        #[cfg(weft_loom)]
        loom::lazy_static! {
            static ref NEXT: AtomicU64 = AtomicU64::new(1);
        }
        TaskId(NEXT.fetch_add(1, Relaxed))
    }

    /// The id [`as_u64`](Self::as_u64) gave (a wait record stores ids as numbers).
    pub(crate) fn from_u64(id: u64) -> TaskId {
        TaskId(id)
    }

    /// The id as a number (for logs and metrics).
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Hashes a [`TaskId`] for maps keyed by it: ids are unique and sequential, so one
/// multiply by 2⁶⁴/φ (Fibonacci hashing) spreads them over the high bits that a
/// hash table probes with, at a fraction of SipHash's cost. Not for untrusted keys:
/// ids come from the runtime's own counter.
#[derive(Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, id: u64) {
        self.0 = (self.0 ^ id).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }
}

/// A map keyed by task id.
pub(crate) type IdMap<V> =
    std::collections::HashMap<TaskId, V, std::hash::BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::IdHasher;
    use std::collections::HashSet;
    use std::hash::{Hash, Hasher};

    /// hashbrown probes with a hash's top 7 bits: consecutive ids must spread over
    /// them, not share one group as an identity hash would.
    #[test]
    fn consecutive_ids_spread_over_the_top_bits() {
        let top_bits: HashSet<u64> = (1_000..1_128u64)
            .map(|id| {
                let mut hasher = IdHasher::default();
                super::TaskId(id).hash(&mut hasher);
                hasher.finish() >> 57
            })
            .collect();
        assert!(
            top_bits.len() > 100,
            "only {} of 128 values",
            top_bits.len()
        );
    }
}
