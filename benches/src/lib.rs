//! Shared pieces of weft's criterion benches: the runtimes under comparison.
