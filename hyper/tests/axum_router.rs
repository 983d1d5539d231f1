//! An axum `Router` runs on weft-rt-hyper's server: the `axum` example's routes,
//! requested over HTTP/1.1 and HTTP/2.

#[allow(dead_code)] // its `main` serves forever; the test serves `app()` itself
#[path = "../examples/axum.rs"]
mod example;

use http_body_util::Full;
use weft_hyper::client::{self, Connector};
use weft_hyper::Client;

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_axum_router_serves_every_route_over_both_protocols() {
    let listener = weft::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = weft_hyper::server::serve_tower(listener, example::app()).spawn();
    let base = format!("http://{}", server.local_addr());
    let h2 = Client::from(client::builder().http2_only(true).build(Connector::new()));
    for client in [Client::new(), h2] {
        let hello = client.get(format!("{base}/")).await.unwrap();
        assert_eq!(hello.text().await.unwrap(), "hello from axum on weft");

        let user = client.get(format!("{base}/users/7")).await.unwrap();
        assert_eq!(user.text().await.unwrap(), "user 7");

        let post = hyper::Request::post(format!("{base}/echo"))
            .body(Full::from("echo me"))
            .unwrap();
        let echoed = client.request(post).await.unwrap();
        assert_eq!(echoed.text().await.unwrap(), "echo me");

        let missing = client.get(format!("{base}/nope")).await.unwrap();
        assert_eq!(missing.status(), 404);
        let bad_id = client.get(format!("{base}/users/seven")).await.unwrap();
        assert_eq!(bad_id.status(), 400);
    }
    assert!(server.shutdown().await.unwrap().is_clean());
}
