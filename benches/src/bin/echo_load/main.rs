//! An echo load generator: N connections, each sending 100-byte requests and waiting
//! for the echo before sending the next, against weft's echo server and tokio's, with
//! the same worker count; it reports requests per second and latency percentiles.
//!
//! ```text
//! cargo run --release -p weft-benches --bin echo_load -- \
//!     --connections 1,50,500 --duration 5 --warmup 1 --workers 2 --rounds 1
//! ```
//!
//! - The servers (`server.rs`) are started here, on 127.0.0.1:0, each on its own
//!   runtime, one at a time; both run the same accept loop and echo loop source.
//! - The client (`weft_benches::load::client`) is the same code for both: plain std
//!   threads, one per connection, with blocking sockets. It uses no async runtime, so
//!   it favours neither server; its cost (a thread switch per request on each side) is
//!   the same against both. On a small machine the client threads share the cores
//!   with the server, so the absolute figures are the pair's, and the ratio is what
//!   to read.
//! - Each measurement warms up, then counts the requests that start inside the
//!   measured window. *Fairness* is the least-served connection's request count as a
//!   share of the mean per connection (1.0: all served alike; near 0: one starved).
//! - With `--rounds R` every (N, server) pair is run R times, interleaved, the order
//!   of the servers reversed every other round (so neither always goes first). The
//!   absolute columns are each server's median round. The ratios are *paired*: each
//!   round's weft figure over the same round's tokio figure, then the median of those
//!   (and their range). On a small, shared machine the throughput of both servers
//!   drifts by ±15 % from round to round; a ratio taken inside one round cancels that
//!   drift, a ratio of two separately chosen median rounds does not.

mod server;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use weft_benches::load::{rounds, Exchange, Options};

/// Bytes per request (and per echo).
const MESSAGE_LEN: usize = 100;

/// One request: 100 bytes out, the same 100 back.
struct Echo {
    request: [u8; MESSAGE_LEN],
    echo: [u8; MESSAGE_LEN],
}

impl Exchange for Echo {
    fn round_trip(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        stream.write_all(&self.request)?;
        stream.read_exact(&mut self.echo)?;
        assert_eq!(self.echo, self.request, "the server echoed something else");
        Ok(())
    }
}

fn main() {
    let options = Options::from_env_or_exit(
        "echo_load",
        "echo_load: an echo load generator, weft beside tokio",
    );
    println!(
        "echo, {MESSAGE_LEN} B requests, {} worker threads per server, {:?} measured after \
         {:?} of warm-up, {} round(s)",
        options.workers, options.duration, options.warmup, options.rounds,
    );
    rounds::run(&options, server::start, || Echo {
        request: [b'x'; MESSAGE_LEN],
        echo: [0; MESSAGE_LEN],
    });
}
