//! Server and pooled client round trips on weft: HTTP/1.1, HTTP/2 with prior
//! knowledge over plain TCP, keep-alive reuse, bodies in both directions.

mod support;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Version;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll};
use support::{start, url};
use weft_hyper::client::{self, ConnectError, Connector};
use weft_hyper::Client;

/// A client that speaks HTTP/2 only (prior knowledge: no upgrade, no ALPN).
fn h2_client() -> Client {
    Client::from(client::builder().http2_only(true).build(Connector::new()))
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_round_trip() {
    let server = start().await;
    let response = Client::new().get(url(&server, "/version")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), Version::HTTP_11);
    assert_eq!(response.text().await.unwrap(), "HTTP/1.1");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_prior_knowledge_round_trip() {
    let server = start().await;
    let response = h2_client().get(url(&server, "/version")).await.unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.text().await.unwrap(), "HTTP/2.0");
}

/// A connector whose first connection opens and every later one never does.
///
/// hyper-util's pool races a new connection against the checkout of an idle one
/// whenever no idle one is ready yet — and the connection of a response just read
/// goes back to the pool a moment later, from a task of its own. With every later
/// connect stuck, the checkout always wins that race, so the count of accepted
/// connections says whether the pool reused the first one (and not who won a race).
#[derive(Clone)]
struct FirstConnectOnly {
    inner: Connector,
    calls: Arc<AtomicUsize>,
}

impl tower_service::Service<hyper::Uri> for FirstConnectOnly {
    type Response = <Connector as tower_service::Service<hyper::Uri>>::Response;
    type Error = ConnectError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, ConnectError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ConnectError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: hyper::Uri) -> Self::Future {
        let first = self.calls.fetch_add(1, SeqCst) == 0;
        let connecting = self.inner.call(uri);
        Box::pin(async move {
            if !first {
                std::future::pending::<()>().await;
            }
            connecting.await
        })
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_reuses_one_connection_for_sequential_requests() {
    let server = start().await;
    let client = client::builder().build::<_, Full<Bytes>>(FirstConnectOnly {
        inner: Connector::new(),
        calls: Arc::new(AtomicUsize::new(0)),
    });
    let uri: hyper::Uri = url(&server, "/").parse().unwrap();
    for _ in 0..5 {
        let response = client.get(uri.clone()).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, "hello");
    }
    assert_eq!(server.stats().accepted(), 1, "{:?}", server.stats());
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_multiplexes_concurrent_requests_on_one_connection() {
    let server = start().await;
    let client = h2_client();
    // One request first, so the pool holds the connection the others share.
    client
        .get(url(&server, "/"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let requests = (0..16).map(|_| {
        let (client, url) = (client.clone(), url(&server, "/"));
        async move { client.get(url).await?.text().await }
    });
    let texts = weft::try_gather(requests).await.unwrap();
    assert!(texts.iter().all(|text| text == "hello"), "{texts:?}");
    assert_eq!(server.stats().accepted(), 1, "{:?}", server.stats());
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_cross_whole_in_both_directions_on_both_protocols() {
    let server = start().await;
    for client in [Client::new(), h2_client()] {
        let big = client.get(url(&server, "/big")).await.unwrap();
        assert_eq!(big.bytes().await.unwrap(), support::big_body());

        let sent: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
        let request = hyper::Request::post(url(&server, "/echo"))
            .body(Full::from(sent.clone()))
            .unwrap();
        let echoed = client
            .request(request)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(echoed, sent);
    }
}

#[weft::test]
async fn a_current_thread_runtime_serves_and_fetches_too() {
    let server = start().await;
    let text = weft_hyper::get(url(&server, "/files/alpha.txt"))
        .await
        .unwrap();
    assert_eq!(text.text().await.unwrap(), "first file\n");
    let report = server.shutdown().await.unwrap();
    assert!(report.is_clean());
}
