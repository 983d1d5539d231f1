//! weft: a multi-threaded work-stealing async runtime with asyncio's task model.
#![warn(missing_docs)]

#[allow(dead_code)]
pub(crate) mod loom;
