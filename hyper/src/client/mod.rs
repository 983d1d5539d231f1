//! The pooled HTTP client: hyper-util's legacy `Client` (keep-alive pool, HTTP/1.1
//! and HTTP/2) over weft's TCP, and [`Client`], the session scripts use (aiohttp's
//! `ClientSession`).
//!
//! ```
//! use http_body_util::Full;
//! use hyper::body::Bytes;
//!
//! weft::run(async {
//!     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let hello = hyper::service::service_fn(|_req| async {
//!         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hi"))))
//!     });
//!     let server = weft_hyper::server::serve(listener, hello).spawn();
//!     let url = format!("http://{}/", server.local_addr());
//!
//!     let client = weft_hyper::Client::new(); // one pool, shared by its clones
//!     for _ in 0..3 {
//!         // Connections are kept alive between requests and reused.
//!         assert_eq!(client.get(&url).await?.text().await?, "hi");
//!     }
//!     Ok::<_, Box<dyn std::error::Error>>(())
//! })
//! .unwrap();
//! ```
//!
//! # Rules
//!
//! 1. **hyper-util's pool, weft's everything else.** The pooled client is
//!    hyper-util's, with [`WeftExecutor`] for its connection tasks, [`WeftTimer`] for
//!    its timeouts and pool expiry, and [`Connector`] for its connections (TCP, and
//!    TLS for `https` with the `tls` feature; HTTP/2 when ALPN picks it).
//! 2. **Errors are sorted before they reach a script**: hyper-util's error becomes
//!    [`Error::Connect`], [`Error::Timeout`] or [`Error::Http`], and a bad URL is an
//!    [`Error::InvalidUrl`] before anything is sent.
//! 3. **The shared client behind [`get`](crate::get) is one pool for the process.**
//!    Its connections belong to the runtime that opened them; a connection whose
//!    runtime has shut down is closed, and the pool opens a new one.

mod connector;
mod response;
mod stream;
mod url;

pub use connector::{ConnectError, Connecting, Connector};
pub use response::Response;
pub use stream::MaybeHttpsStream;
pub use url::IntoUrl;

use crate::rt::{WeftExecutor, WeftTimer};
use crate::Error;
use bytes::Bytes;
use http::Request;
use http_body_util::Full;
use hyper_util::client::legacy;
use std::fmt;
use std::sync::OnceLock;

/// hyper-util's pooled client with weft's [`Connector`]: what [`builder`] builds and
/// [`Client::hyper`] lends. `B` is the request body type.
pub type HyperClient<B = Full<Bytes>> = legacy::Client<Connector, B>;

/// hyper-util's client builder, set up for weft (rule 1): finish it with
/// `.build(Connector::new())`. Its options are hyper-util's: `http2_only(true)` for
/// HTTP/2 with prior knowledge over plain TCP, `pool_idle_timeout`,
/// `pool_max_idle_per_host`, ...
///
/// ```
/// use weft_hyper::client::{self, Connector};
///
/// let h2: client::HyperClient = client::builder().http2_only(true).build(Connector::new());
/// let session = weft_hyper::Client::from(h2);
/// # drop(session);
/// ```
pub fn builder() -> legacy::Builder {
    let mut builder = legacy::Client::builder(WeftExecutor::new());
    builder.timer(WeftTimer::new()).pool_timer(WeftTimer::new());
    builder
}

/// A pooled HTTP client for scripts (aiohttp's `ClientSession`, reqwest's `Client`):
/// keep-alive connections reused across requests, HTTP/1.1 (or HTTP/2 when built so),
/// requests by URL and responses read in one await. Clones share the pool.
///
/// ```no_run
/// # async fn demo() -> Result<(), weft_hyper::Error> {
/// let client = weft_hyper::Client::new();
/// let page = client.get("http://127.0.0.1:8080/").await?.text().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    hyper: HyperClient,
}

impl Client {
    /// A client with [`builder`]'s settings and a default [`Connector`].
    ///
    /// ```
    /// let client = weft_hyper::Client::new();
    /// let other = client.clone(); // the same pool
    /// # drop(other);
    /// ```
    pub fn new() -> Client {
        Client::from(builder().build(Connector::new()))
    }

    /// `GET url` (aiohttp's `session.get(url)`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] before sending anything; [`Error::Connect`],
    /// [`Error::Timeout`] or [`Error::Http`] if the exchange fails. A 4xx or 5xx
    /// response is a response: see [`Response::error_for_status`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future abandons the request; a connection it was using is
    /// closed, not returned to the pool.
    ///
    /// ```no_run
    /// # async fn demo(client: weft_hyper::Client) -> Result<(), weft_hyper::Error> {
    /// let bytes = client.get("http://127.0.0.1:8080/file").await?.bytes().await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, url: impl IntoUrl) -> Result<Response, Error> {
        let uri = url::into_uri(url)?;
        let result = self.hyper.get(uri.clone()).await;
        result
            .map(|response| Response::new(uri.clone(), response))
            .map_err(|err| Error::from_client(uri, err))
    }

    /// Sends `request` (aiohttp's `session.request(method, url, data=...)`).
    ///
    /// # Errors
    ///
    /// As [`get`](Client::get); the request's URI must be absolute.
    ///
    /// # Cancel safety
    ///
    /// As [`get`](Client::get).
    ///
    /// ```no_run
    /// use http_body_util::Full;
    ///
    /// # async fn demo(client: weft_hyper::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = hyper::Request::post("http://127.0.0.1:8080/items").body(Full::from("{}"))?;
    /// let status = client.request(request).await?.status();
    /// # Ok(()) }
    /// ```
    pub async fn request(&self, request: Request<Full<Bytes>>) -> Result<Response, Error> {
        let uri = url::check(request.uri().clone(), &request.uri().to_string())?;
        let result = self.hyper.request(request).await;
        result
            .map(|response| Response::new(uri.clone(), response))
            .map_err(|err| Error::from_client(uri, err))
    }

    /// The hyper-util client underneath, for hyper's own API (streamed bodies,
    /// upgrades).
    ///
    /// ```
    /// # async fn demo(client: weft_hyper::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use http_body_util::BodyExt;
    /// let response = client.hyper().get("http://127.0.0.1:8080/".parse()?).await?;
    /// let mut body = response.into_body();
    /// while let Some(frame) = body.frame().await {
    ///     println!("{:?}", frame?.data_ref()); // the body as it arrives
    /// }
    /// # Ok(()) }
    /// ```
    pub fn hyper(&self) -> &HyperClient {
        &self.hyper
    }
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl From<HyperClient> for Client {
    fn from(hyper: HyperClient) -> Client {
        Client { hyper }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// The client behind [`get`](crate::get) (rule 3).
pub(crate) fn shared() -> &'static Client {
    static SHARED: OnceLock<Client> = OnceLock::new();
    SHARED.get_or_init(Client::new)
}
