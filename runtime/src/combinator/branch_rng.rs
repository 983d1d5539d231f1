//! The per-thread random number behind `select!`'s start branch.
//!
//! `select!` polls its branches from a random one so that, in a loop, a branch that is
//! always ready does not starve the others. The numbers need to be cheap and spread,
//! not unpredictable: a xorshift64* per thread, seeded from std's per-thread random
//! hash keys (the same source `HashMap` uses), with no `rand` dependency.
//!
//! # Rules
//!
//! 1. Each thread has its own state, so no synchronisation is needed; a thread's
//!    first call seeds it, and the state is never zero (xorshift's fixed point).

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

thread_local! {
    /// Zero until seeded (rule 1).
    static STATE: Cell<u64> = const { Cell::new(0) };
}

/// A number in `0..n`, uniform enough for fairness; `0` when `n` is `0`.
pub(crate) fn below(n: u32) -> u32 {
    if n <= 1 {
        return 0;
    }
    let x = STATE.with(|state| {
        let mut x = state.get();
        if x == 0 {
            x = seed();
        }
        // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    });
    // Lemire's multiply-shift: the high 32 bits scaled into 0..n, no division.
    (((x >> 32) * u64::from(n)) >> 32) as u32
}

/// A non-zero seed from std's per-thread random hash keys (rule 1).
fn seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9E37_79B9_7F4A_7C15);
    hasher.finish() | 1
}

#[cfg(test)]
mod tests {
    use super::below;

    #[test]
    fn stays_below_n_and_reaches_every_value() {
        // Miri is slow: fewer branch counts there.
        let most = if cfg!(miri) { 9 } else { 70u32 };
        for n in 1..=most {
            let mut seen = vec![false; n as usize];
            for _ in 0..(n * 200) {
                let x = below(n);
                assert!(x < n);
                seen[x as usize] = true;
            }
            assert!(seen.iter().all(|&s| s), "some value below {n} never came");
        }
        assert_eq!(below(0), 0);
    }
}
