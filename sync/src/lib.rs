//! Cancellation-aware, executor-agnostic synchronisation primitives.
#![warn(missing_docs)]
