//! weft's I/O driver: a reactor over `mio::Poll` that knows no scheduler.
#![warn(missing_docs)]
