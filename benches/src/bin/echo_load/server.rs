//! The echo servers: weft's and tokio's, each on a multi-thread runtime of its own,
//! listening on 127.0.0.1:0.
//!
//! Both run the same source: an accept loop that spawns one task per connection, and
//! a loop that reads up to 4 KiB and writes it all back, with `TCP_NODELAY` set. Only
//! the runtime (and its `AsyncReadExt`/`AsyncWriteExt`) differs.

use weft_benches::contender::{Contender, Tokio, Weft};
use weft_benches::load::{RunningServer, ServerKind};

/// Bytes read at a time by a connection's echo loop.
const READ_BUF: usize = 4096;

/// Starts an echo server on `$runtime` (a [`Contender`]) and returns it running: binds
/// a `$listener` on 127.0.0.1:0 and spawns the accept loop, which spawns the echo of
/// each connection with `$spawn`. Expanded once per runtime so that both servers run
/// the same source; the caller brings its runtime's read and write extension traits
/// into scope.
macro_rules! echo_server {
    ($runtime:expr, $listener:ty, $spawn:path) => {{
        let runtime = $runtime;
        let listener = runtime
            .block_on(<$listener>::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("a bound address");
        // Dropping the handle detaches the accept loop; the runtime's drop ends it.
        drop(runtime.spawn_remote(async move {
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _peer)) => stream,
                    Err(err) => {
                        eprintln!("echo server: accept failed, stopping: {err}");
                        return;
                    }
                };
                drop($spawn(async move {
                    let mut stream = stream;
                    let _ = stream.set_nodelay(true);
                    let mut buf = [0u8; READ_BUF];
                    loop {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => {
                                if stream.write_all(&buf[..n]).await.is_err() {
                                    return;
                                }
                            }
                        }
                    }
                }));
            }
        }));
        RunningServer::new(addr, runtime)
    }};
}

/// Starts `kind`'s echo server on a runtime with `workers` worker threads.
pub(crate) fn start(kind: ServerKind, workers: usize) -> RunningServer {
    match kind {
        ServerKind::Weft => {
            use weft::io::{AsyncReadExt, AsyncWriteExt};
            echo_server!(
                Weft::with_workers(workers),
                weft::net::TcpListener,
                weft::spawn
            )
        }
        ServerKind::Tokio => {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            echo_server!(
                Tokio::with_workers(workers),
                tokio::net::TcpListener,
                tokio::spawn
            )
        }
    }
}
