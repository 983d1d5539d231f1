//! `WeftIo` passes vectored writes through: hyper hands it head and body as separate
//! buffers and they reach the stream's `poll_write_vectored` (one `writev` on a weft
//! socket), as on tokio — unless the adapter is told the stream cannot.

use bytes::Bytes;
use futures_io::{AsyncRead, AsyncWrite};
use http_body_util::Full;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll};
use weft::net::{TcpListener, TcpStream};
use weft_hyper::rt::WeftIo;

/// How the server's stream was written to.
#[derive(Default)]
struct Writes {
    vectored: AtomicUsize,
    plain: AtomicUsize,
}

/// A weft socket that counts its writes.
struct Counting {
    inner: TcpStream,
    writes: Arc<Writes>,
}

impl AsyncRead for Counting {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counting {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.writes.plain.fetch_add(1, SeqCst);
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.writes.vectored.fetch_add(1, SeqCst);
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

/// Serves one request on a counting socket, the adapter told `vectored`; the body
/// the client read and how the server wrote.
async fn serve_one(vectored: bool) -> (String, Arc<Writes>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let writes = Arc::new(Writes::default());
    let server = weft::spawn({
        let writes = writes.clone();
        async move {
            let (inner, _) = listener.accept().await?;
            let io = WeftIo::with_vectored(Counting { inner, writes }, vectored);
            let body = service_body();
            let service = hyper::service::service_fn(move |_req| {
                let body = body.clone();
                async move { Ok::<_, io::Error>(hyper::Response::new(Full::new(body))) }
            });
            hyper::server::conn::http1::Builder::new()
                .keep_alive(false)
                .serve_connection(io, service)
                .await
                .map_err(io::Error::other)
        }
    });
    let text = weft_hyper::get(&url).await.unwrap().text().await.unwrap();
    server.await.unwrap().unwrap();
    (text, writes)
}

/// Big enough that hyper queues it beside the head instead of copying it.
fn service_body() -> Bytes {
    Bytes::from("x".repeat(16 * 1024))
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_writes_through_poll_write_vectored() {
    let (text, writes) = serve_one(true).await;
    assert_eq!(text.len(), service_body().len());
    assert!(writes.vectored.load(SeqCst) >= 1);
    assert_eq!(writes.plain.load(SeqCst), 0, "a plain write was used");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_declared_not_vectored_gets_plain_writes() {
    let (text, writes) = serve_one(false).await;
    assert_eq!(text.len(), service_body().len());
    assert!(writes.plain.load(SeqCst) >= 1);
    assert_eq!(writes.vectored.load(SeqCst), 0, "a vectored write was used");
}
