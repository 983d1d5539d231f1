//! An HTTP/1.1 load generator: N keep-alive connections, each sending `GET /` and
//! reading the whole response before the next, against a hello-world server on weft +
//! weft-rt-hyper and the same on tokio + hyper-util, with the same worker count; it
//! reports requests per second, latency percentiles and the server's CPU time per
//! request.
//!
//! ```text
//! cargo run --release -p weft-benches --bin http_load -- \
//!     --connections 1,50,500 --duration 5 --warmup 1 --workers 2 --rounds 1
//! ```
//!
//! Everything but the servers and the request is `echo_load`'s
//! (`weft_benches::load`): the same std-thread client, CPU accounting, options and
//! paired rounds in alternating order. The servers are in `server.rs`; the request
//! and its parsing in `exchange.rs`.

mod exchange;
mod server;

use weft_benches::load::{rounds, Options};

fn main() {
    let options = Options::from_env_or_exit(
        "http_load",
        "http_load: an HTTP/1.1 keep-alive load generator, weft-rt-hyper beside tokio + hyper-util",
    );
    println!(
        "HTTP/1.1 keep-alive, GET / -> {} B body, {} worker threads per server, {:?} \
         measured after {:?} of warm-up, {} round(s)",
        server::HELLO.len(),
        options.workers,
        options.duration,
        options.warmup,
        options.rounds,
    );
    rounds::run(&options, server::start, exchange::HelloGet::new);
}
