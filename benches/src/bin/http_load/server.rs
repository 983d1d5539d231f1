//! The hello-world servers: weft + weft-rt-hyper, and tokio + hyper-util, each on a
//! multi-thread runtime of its own, listening on 127.0.0.1:0.
//!
//! Both serve the same `hello` service with hyper-util's auto builder (HTTP/1.1 and
//! HTTP/2, upgrades allowed), hyper's header-read timeout armed by a timer (weft's
//! `WeftTimer`, tokio's `TokioTimer`: hyper's default 30 s) and `TCP_NODELAY` on each
//! connection. The weft side is `weft_hyper::server::serve`, all of it — the task
//! group, the counters, the graceful-shutdown watch, the first-byte timeout; the tokio
//! side is the accept loop hyper-util's examples write by hand.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::convert::Infallible;
use std::sync::Arc;
use weft_benches::contender::{Contender, Tokio, Weft};
use weft_benches::load::{RunningServer, ServerKind};

/// The response body.
pub(crate) const HELLO: &[u8] = b"Hello, World!";

/// The service both servers run.
async fn hello(_request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(HELLO))))
}

/// Starts `kind`'s hello-world server on a runtime with `workers` worker threads.
pub(crate) fn start(kind: ServerKind, workers: usize) -> RunningServer {
    match kind {
        ServerKind::Weft => {
            let runtime = Weft::with_workers(workers);
            let server = runtime.block_on(async {
                let listener = weft::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                weft_hyper::server::serve(listener, service_fn(hello)).spawn()
            });
            // The server handle first: dropping it stops the server, then the runtime.
            RunningServer::new(server.local_addr(), (server, runtime))
        }
        ServerKind::Tokio => {
            let runtime = Tokio::with_workers(workers);
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("bind 127.0.0.1:0");
            let addr = listener.local_addr().expect("a bound address");
            // Dropping the handle detaches the accept loop; the runtime's drop ends it.
            drop(runtime.spawn_remote(async move {
                let mut builder = auto::Builder::new(TokioExecutor::new());
                builder.http1().timer(TokioTimer::new());
                builder.http2().timer(TokioTimer::new());
                let builder = Arc::new(builder);
                loop {
                    let stream = match listener.accept().await {
                        Ok((stream, _peer)) => stream,
                        Err(err) => {
                            eprintln!("http server: accept failed, stopping: {err}");
                            return;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let builder = builder.clone();
                    tokio::spawn(async move {
                        let io = TokioIo::new(stream);
                        let _ = builder
                            .serve_connection_with_upgrades(io, service_fn(hello))
                            .await;
                    });
                }
            }));
            RunningServer::new(addr, runtime)
        }
    }
}
