//! Futures combined inside the current task, without spawning: the functions
//! [`join_all`] and [`select_all`] (also at the crate root) and their futures; the
//! macros [`join!`](crate::join), [`try_join!`](crate::try_join) and
//! [`select!`](crate::select) are at the crate root.
//!
//! Unlike [`gather!`](crate::gather) and [`TaskGroup`](crate::TaskGroup)
//! ([`structured`](crate::structured)), nothing here makes a task: the futures are
//! polled by whoever polls the combination, so they may borrow locals and need not be
//! `Send` or `'static`, and they make progress only while it is polled. The guide is
//! the `select` chapter of the book in `docs/`.
//!
//! # Rules
//!
//! 1. No `unsafe` in what the macros expand to: each branch is pinned by `pin!` in a
//!    local of the expansion, and a `join!` branch's pin projection is `MaybeDone`'s
//!    (`maybe_done.rs`, argued there). The macros are `macro_rules!` shims that hand
//!    their input, with `$crate`, to the expanders in `weft-rt-macros` (`join.rs`,
//!    `select.rs` there hold the expansion's rules).
//! 2. What a combination polls: `join!`/`try_join!`/`select!` poll every live branch
//!    once a poll (a fixed handful, no allocation); `join_all` re-polls only the
//!    futures that woke (`ReadySet`); `select_all` polls in order until one is ready.

mod branch_rng;
mod join;
mod join_all;
mod maybe_done;
mod ready_set;
mod select;
mod select_all;

pub use join_all::{join_all, JoinAll};
pub(crate) use ready_set::ReadySet;
pub use select_all::{select_all, SelectAll};

/// What the macros' expansions name, through `$crate::__private`; not an API.
#[doc(hidden)]
pub mod macro_support {
    pub use super::maybe_done::MaybeDone;
    pub use core::pin::pin;
    pub use core::unreachable;
    pub use std::future::{poll_fn, Future, IntoFuture};
    pub use std::option::Option;
    pub use std::panic;
    pub use std::result::Result;
    pub use std::task::Poll;
    pub use weft_macros::{join_impl, select_impl, try_join_impl};

    /// The branch `select!` polls first: random, so none is starved in a loop.
    #[inline]
    pub fn select_start(branches: u32) -> u32 {
        super::branch_rng::below(branches)
    }
}
