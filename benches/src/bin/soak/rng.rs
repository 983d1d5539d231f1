//! `SplitMix64`: the soak's seeded source of every random choice, so a failing run
//! can be repeated with its `--seed`.
//!
//! SplitMix64 (Steele, Lea and Flood, 2014; the seeder of `java.util.SplittableRandom`
//! and of the xoshiro generators): a 64-bit counter stepped by the golden ratio and
//! mixed. Each connection takes a generator of its own from the run's ([`fork`]), so
//! its sizes and bytes do not depend on how the tasks interleave.
//!
//! [`fork`]: SplitMix64::fork

pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`); the modulo's bias is below 2^-40 for the small
    /// `n` the soak draws.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// `true` once in `n` draws on average.
    pub(crate) fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// Fills `buf` with random bytes.
    pub(crate) fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes()[..chunk.len()]);
        }
    }

    /// A generator of its own, seeded from this one.
    pub(crate) fn fork(&mut self) -> SplitMix64 {
        SplitMix64::new(self.next_u64())
    }
}
