//! An axum `Router` served on weft, with no glue: axum's routing and extractors,
//! weft's runtime underneath.
//!
//! ```sh
//! cargo run -p weft-rt-hyper --example axum -- 127.0.0.1:3000
//! curl http://127.0.0.1:3000/users/7
//! ```
//!
//! `hyper/tests/axum_router.rs` serves this `app()` and requests every route.

use axum::extract::Path;
use axum::routing::{get, post};
use axum::Router;

/// The routes: a greeting, a path parameter, and an echo of the request body.
pub(crate) fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "hello from axum on weft" }))
        .route(
            "/users/{id}",
            get(|Path(id): Path<u32>| async move { format!("user {id}") }),
        )
        .route("/echo", post(|body: String| async move { body }))
}

#[weft::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let listener = weft::net::TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    weft_hyper::server::serve_tower(listener, app()).await?;
    Ok(())
}
