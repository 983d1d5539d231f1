//! The registration table: which [`IoEntry`] a `mio::Token` names.
//!
//! A token packs a slab [`Key`]: the slot index in the low bits, the slot's
//! generation above it.
//!
//! ```text
//!  usize::BITS - 1              INDEX_BITS  INDEX_BITS - 1             0
//! +--------------------------------------+-------------------------------+
//! |          generation (wraps)          |             index             |
//! +--------------------------------------+-------------------------------+
//! ```
//!
//! # Rules
//!
//! 1. A token is never reused while a stale event can still carry it: removing a
//!    registration retires its generation (slab rule 1), so an event already read
//!    from the OS for a dropped socket finds nothing, even after its slot is reused.
//! 2. The all-ones token is [`WAKE_TOKEN`], the reactor's own `mio::Waker`; no slot
//!    maps to it (the index limit keeps the all-ones index free).
//! 3. After [`Table::shutdown`] the table is empty and stays empty: every insert fails
//!    with the runtime-shut-down error.

use super::entry::IoEntry;
use super::error;
use super::slab::{Key, Slab};
use crate::loom::Arc;
use mio::Token;
use std::io;

/// Bits of a token that hold the slot index (fewer under loom, where a model
/// registers a handful of sockets at most).
#[cfg(not(weft_loom))]
const INDEX_BITS: u32 = 24;
#[cfg(weft_loom)]
const INDEX_BITS: u32 = 4;
/// The index bits of a token.
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
/// The largest number of live registrations: every index but the all-ones one.
const MAX_SLOTS: usize = INDEX_MASK;
/// The generation bits, shifted down to bit 0.
const GENERATION_MASK: usize = usize::MAX >> INDEX_BITS;

/// The token of the reactor's `mio::Waker` (rule 2).
pub(crate) const WAKE_TOKEN: Token = Token(usize::MAX);

fn token_of(key: Key) -> Token {
    Token(key.generation() << INDEX_BITS | key.index())
}

fn key_of(token: Token) -> Key {
    Key::from_parts(token.0 & INDEX_MASK, token.0 >> INDEX_BITS)
}

/// Live registrations by token.
#[derive(Debug)]
pub(crate) struct Table {
    entries: Slab<Arc<IoEntry>>,
    shut_down: bool,
}

impl Table {
    /// No registrations.
    pub(crate) const fn new() -> Table {
        Table {
            entries: Slab::new(MAX_SLOTS, GENERATION_MASK),
            shut_down: false,
        }
    }

    /// Adds a registration: its token and its entry. Fails after shutdown (rule 3) or
    /// when the table is full.
    pub(crate) fn insert(&mut self) -> io::Result<(Token, Arc<IoEntry>)> {
        if self.shut_down {
            return Err(error::shut_down());
        }
        let entry = Arc::new(IoEntry::new());
        match self.entries.insert(entry.clone()) {
            Ok(key) => Ok((token_of(key), entry)),
            Err(_) => Err(error::too_many_registrations()),
        }
    }

    /// The entry `token` names, if that registration is still live (rule 1).
    pub(crate) fn get(&self, token: Token) -> Option<&Arc<IoEntry>> {
        self.entries.get(key_of(token))
    }

    /// Removes the registration `token` names; the caller drops the entry after
    /// releasing the table lock.
    pub(crate) fn remove(&mut self, token: Token) -> Option<Arc<IoEntry>> {
        self.entries.remove(key_of(token))
    }

    /// Empties the table for good (rule 3); the caller shuts the entries down after
    /// releasing the table lock.
    pub(crate) fn shutdown(&mut self) -> Vec<Arc<IoEntry>> {
        self.shut_down = true;
        self.entries.drain()
    }

    /// Whether [`Table::shutdown`] has run.
    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down
    }

    /// The number of live registrations.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_through_its_key() {
        let key = Key::from_parts(5, 9);
        assert_eq!(key_of(token_of(key)), key);
    }

    #[test]
    fn no_registration_gets_the_wake_token() {
        let key = Key::from_parts(MAX_SLOTS - 1, GENERATION_MASK);
        assert_ne!(token_of(key), WAKE_TOKEN);
    }

    #[test]
    fn a_stale_token_misses_the_registration_that_reuses_its_slot() {
        let mut table = Table::new();
        let (old, _) = table.insert().unwrap();
        table.remove(old);
        let (new, _) = table.insert().unwrap();
        assert_ne!(old, new);
        assert!(table.get(old).is_none());
        assert!(table.get(new).is_some());
    }

    #[test]
    fn insert_after_shutdown_fails() {
        let mut table = Table::new();
        table.insert().unwrap();
        assert_eq!(table.shutdown().len(), 1);
        assert_eq!(table.len(), 0);
        assert!(table.insert().is_err());
    }
}
