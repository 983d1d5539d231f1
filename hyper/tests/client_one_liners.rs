//! The one-liners for scripts: `get(url).await?.text()` / `.bytes()`, and each of
//! their failures as its own `Error` variant naming the URL.

mod support;

use support::{start, url};
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::TcpListener;
use weft_hyper::Error;

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_reads_the_head_then_the_body_as_text_or_bytes() {
    let server = start().await;
    let response = weft_hyper::get(url(&server, "/files/alpha.txt"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], "11");
    assert_eq!(response.url().path(), "/files/alpha.txt");
    assert_eq!(response.text().await.unwrap(), "first file\n");
    let big = weft_hyper::get(url(&server, "/big")).await.unwrap();
    assert_eq!(big.bytes().await.unwrap(), support::big_body());
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_status_is_a_response_until_error_for_status() {
    let server = start().await;
    let missing = url(&server, "/files/missing.txt");
    let response = weft_hyper::get(&missing).await.unwrap();
    assert_eq!(response.status(), 404);
    let err = response.error_for_status().unwrap_err();
    assert_eq!(err.status(), Some(hyper::StatusCode::NOT_FOUND));
    assert_eq!(err.url(), missing);
    assert_eq!(
        err.to_string(),
        format!("{missing}: the server answered 404 Not Found")
    );
}

#[weft::test]
async fn bad_urls_fail_before_anything_is_sent() {
    for url in [
        "",
        "no scheme",
        "/relative/path",
        "ftp://host/file",
        "http://",
    ] {
        let err = weft_hyper::get(url).await.unwrap_err();
        assert!(matches!(err, Error::InvalidUrl { .. }), "{url:?}: {err}");
        assert_eq!(err.url(), url);
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_cut_short_is_a_body_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/short", listener.local_addr().unwrap());
    let server = weft::spawn(async move {
        let (mut stream, _) = listener.accept().await?;
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).await?;
            head.push(byte[0]);
        }
        // 100 bytes promised, 10 sent, then the connection closes.
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789")
            .await
    });
    let response = weft_hyper::get(&url).await.unwrap();
    server.await.unwrap().unwrap();
    let err = response.text().await.unwrap_err();
    assert!(matches!(err, Error::Body { .. }), "{err}");
    assert!(err.to_string().starts_with(&url), "{err}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_replaces_malformed_utf8() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let body: &[u8] = b"ok \xff\xfe end";
    let service = hyper::service::service_fn(move |_req| async move {
        let body = http_body_util::Full::new(bytes::Bytes::from_static(body));
        Ok::<_, std::convert::Infallible>(hyper::Response::new(body))
    });
    let server = weft_hyper::server::serve(listener, service).spawn();
    let text = weft_hyper::get(format!("http://{}/", server.local_addr()))
        .await
        .unwrap();
    assert_eq!(text.text().await.unwrap(), "ok \u{fffd}\u{fffd} end");
}
