//! loom models of weft's scheduler, task state word and synchronisation primitives.
//!
//! The models live in `tests/`, one file per subsystem, and compile only under
//! `RUSTFLAGS="--cfg weft_loom"`; see `.ci/run` for the command and its bounds.
