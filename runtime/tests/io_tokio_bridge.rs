//! The tokio bridge (feature `tokio-io`): weft's streams, their halves and TLS streams
//! implement tokio's `AsyncRead`/`AsyncWrite`, so crates written against tokio's traits
//! run on weft sockets — tokio-util's codecs, hyper-util's `TokioIo`, tokio-rustls —
//! with no tokio runtime anywhere.

mod support;

use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use support::certs::Ca;
use support::{multi_thread_runtime, tcp_pair, within};
use tokio_util::codec::{Framed, FramedRead, FramedWrite, LinesCodec};
use weft::net::{TcpListener, TcpStream};

#[test]
fn a_lines_codec_frames_a_weft_tcp_stream() {
    multi_thread_runtime().block_on(within(async {
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(async move {
            let mut lines = Framed::new(server, LinesCodec::new());
            while let Some(line) = lines.next().await {
                lines.send(line.unwrap().to_uppercase()).await.unwrap();
            }
        });

        let mut lines = Framed::new(client, LinesCodec::new());
        for word in ["alpha", "beta", "gamma"] {
            lines.send(word).await.unwrap();
            assert_eq!(lines.next().await.unwrap().unwrap(), word.to_uppercase());
        }
        drop(lines); // the server reads EOF and ends
        server.await.unwrap();
    }));
}

#[test]
fn codecs_frame_the_owned_halves_of_a_weft_socket() {
    multi_thread_runtime().block_on(within(async {
        let (client, server) = tcp_pair().await;
        let (read, write) = server.into_split();
        let server = weft::spawn(async move {
            let mut lines = FramedRead::new(read, LinesCodec::new());
            let mut replies = FramedWrite::new(write, LinesCodec::new());
            while let Some(line) = lines.next().await {
                replies
                    .send(format!("{} bytes", line.unwrap().len()))
                    .await
                    .unwrap();
            }
        });

        let mut lines = Framed::new(client, LinesCodec::new());
        lines.send("four").await.unwrap();
        assert_eq!(lines.next().await.unwrap().unwrap(), "4 bytes");
        drop(lines);
        server.await.unwrap();
    }));
}

#[test]
fn hyper_serves_and_fetches_over_tokio_io_on_weft_sockets() {
    multi_thread_runtime().block_on(within(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let hello = service_fn(|request: Request<hyper::body::Incoming>| async move {
                let body = format!("hello from weft, {}", request.uri().path());
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(body))))
            });
            hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), hello)
                .await
        });

        let stream = TcpStream::connect(addr).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        let connection = weft::spawn(connection);
        let request = Request::get("/bridge")
            .header("host", "localhost")
            .body(Empty::<Bytes>::new())
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"hello from weft, /bridge");

        drop(sender); // the client connection ends, and with it the server's
        connection.await.unwrap().unwrap();
        server.await.unwrap().unwrap();
    }));
}

/// The server side of the tokio-rustls test, in weft's own traits: reads "ping",
/// answers "pong" and closes with `close_notify`.
async fn weft_tls_pong(
    acceptor: weft::net::tls::TlsAcceptor,
    stream: TcpStream,
) -> std::io::Result<()> {
    use weft::io::{AsyncReadExt, AsyncWriteExt};
    let mut tls = acceptor.accept(stream).await?;
    let mut got = [0; 4];
    tls.read_exact(&mut got).await?;
    tls.write_all(b"pong").await?;
    tls.close().await
}

#[test]
fn tokio_rustls_on_a_weft_socket_talks_to_weft_tls() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(weft_tls_pong(ca.leaf(&["localhost"]).acceptor(), server));

        let connector = tokio_rustls::TlsConnector::from(Arc::new(ca.client_config(&[])));
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut tls = connector.connect(name, client).await.unwrap();
        tls.write_all(b"ping").await.unwrap();
        tls.flush().await.unwrap();
        let mut reply = Vec::new();
        tls.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"pong");
        server.await.unwrap().unwrap();
    }));
}

#[test]
fn codecs_frame_the_split_halves_of_a_weft_tls_stream() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let acceptor = ca.leaf(&["localhost"]).acceptor();
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(async move {
            let tls = acceptor.accept(server).await.unwrap();
            let mut lines = Framed::new(tls, LinesCodec::new());
            while let Some(line) = lines.next().await {
                lines
                    .send(line.unwrap().chars().rev().collect::<String>())
                    .await
                    .unwrap();
            }
            SinkExt::<String>::close(&mut lines).await.unwrap(); // close_notify
        });

        let tls = ca
            .connector(&[])
            .connect("localhost", client)
            .await
            .unwrap();
        let (read, write) = weft::io::split(tls);
        let mut lines = FramedRead::new(read, LinesCodec::new());
        let mut sink = FramedWrite::new(write, LinesCodec::new());
        sink.send("stressed").await.unwrap();
        assert_eq!(lines.next().await.unwrap().unwrap(), "desserts");
        SinkExt::<&str>::close(&mut sink).await.unwrap(); // close_notify: the server's stream ends
        assert!(lines.next().await.is_none());
        server.await.unwrap();
    }));
}

#[test]
fn a_weft_buf_reader_is_a_tokio_buf_read() {
    use tokio::io::AsyncBufReadExt;
    multi_thread_runtime().block_on(within(async {
        let (mut client, server) = tcp_pair().await;
        weft::io::AsyncWriteExt::write_all(&mut client, b"one\ntwo\n")
            .await
            .unwrap();
        drop(client);
        // tokio's `lines`, not weft's inherent one: through the `AsyncBufRead` bridge.
        let mut lines = AsyncBufReadExt::lines(weft::io::BufReader::new(server));
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("one"));
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("two"));
        assert_eq!(lines.next_line().await.unwrap(), None);
    }));
}
