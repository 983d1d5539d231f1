//! [`Response`]: a response for scripts — status, headers, and the body as text or
//! bytes in one await (aiohttp's `ClientResponse`).

use crate::Error;
use bytes::Bytes;
use http::{HeaderMap, StatusCode, Uri, Version};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use std::fmt;

/// A response from [`Client`](crate::Client) or [`get`](crate::get): the head is
/// here, the body is read by [`text`](Response::text) or [`bytes`](Response::bytes)
/// (aiohttp's `ClientResponse`). [`into_inner`](Response::into_inner) gives hyper's
/// response, to stream the body instead.
///
/// ```
/// # async fn demo() -> Result<(), weft_hyper::Error> {
/// let response = weft_hyper::get("http://127.0.0.1:8080/").await?.error_for_status()?;
/// println!("{} {:?}", response.status(), response.headers().get("content-type"));
/// let text = response.text().await?;
/// # Ok(()) }
/// ```
pub struct Response {
    url: Uri,
    inner: http::Response<Incoming>,
}

impl Response {
    pub(crate) fn new(url: Uri, inner: http::Response<Incoming>) -> Response {
        Response { url, inner }
    }

    /// The status (`response.status` in aiohttp).
    ///
    /// ```
    /// # async fn demo(response: weft_hyper::Response) -> Result<(), weft_hyper::Error> {
    /// println!("{} {:?} {}", response.url(), response.version(), response.status());
    /// let length = response.headers().get("content-length");
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The headers.
    ///
    /// ```
    /// # async fn demo(response: weft_hyper::Response) -> Result<(), weft_hyper::Error> {
    /// println!("{} {:?} {}", response.url(), response.version(), response.status());
    /// let length = response.headers().get("content-length");
    /// # Ok(()) }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The HTTP version the exchange used.
    ///
    /// ```
    /// # async fn demo(response: weft_hyper::Response) -> Result<(), weft_hyper::Error> {
    /// println!("{} {:?} {}", response.url(), response.version(), response.status());
    /// let length = response.headers().get("content-length");
    /// # Ok(()) }
    /// ```
    pub fn version(&self) -> Version {
        self.inner.version()
    }

    /// The URL requested.
    ///
    /// ```
    /// # async fn demo(response: weft_hyper::Response) -> Result<(), weft_hyper::Error> {
    /// println!("{} {:?} {}", response.url(), response.version(), response.status());
    /// let length = response.headers().get("content-length");
    /// # Ok(()) }
    /// ```
    pub fn url(&self) -> &Uri {
        &self.url
    }

    /// The response itself if its status is not an error, and
    /// [`Error::Status`] for a 4xx or 5xx (aiohttp's `raise_for_status()`).
    ///
    /// # Errors
    ///
    /// [`Error::Status`], naming the URL and the status.
    ///
    /// ```
    /// # async fn demo() -> Result<(), weft_hyper::Error> {
    /// let page = weft_hyper::get("http://127.0.0.1:8080/").await?.error_for_status()?.text().await?;
    /// # Ok(()) }
    /// ```
    pub fn error_for_status(self) -> Result<Response, Error> {
        let status = self.status();
        if status.is_client_error() || status.is_server_error() {
            return Err(Error::Status {
                url: self.url,
                status,
            });
        }
        Ok(self)
    }

    /// Reads the whole body (aiohttp's `await response.read()`).
    ///
    /// # Errors
    ///
    /// [`Error::Body`] if the connection fails before the body's end.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the response and what was read of its body; the
    /// connection is closed rather than returned to the pool.
    ///
    /// ```
    /// # async fn demo() -> Result<(), weft_hyper::Error> {
    /// let image: bytes::Bytes = weft_hyper::get("http://127.0.0.1:8080/logo.png").await?.bytes().await?;
    /// # Ok(()) }
    /// ```
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let Response { url, inner } = self;
        match inner.into_body().collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(source) => Err(Error::Body { url, source }),
        }
    }

    /// Reads the whole body as text (aiohttp's `await response.text()`): UTF-8, with
    /// each malformed sequence replaced by U+FFFD, as reqwest's `text()` does.
    ///
    /// # Errors
    ///
    /// [`Error::Body`] if the connection fails before the body's end.
    ///
    /// # Cancel safety
    ///
    /// As [`bytes`](Response::bytes).
    ///
    /// ```
    /// # async fn demo() -> Result<(), weft_hyper::Error> {
    /// let page: String = weft_hyper::get("http://127.0.0.1:8080/").await?.text().await?;
    /// # Ok(()) }
    /// ```
    pub async fn text(self) -> Result<String, Error> {
        let bytes = self.bytes().await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// hyper's response, whose body streams frame by frame.
    ///
    /// ```
    /// # async fn demo(response: weft_hyper::Response) {
    /// let hyper_response: hyper::Response<hyper::body::Incoming> = response.into_inner();
    /// # }
    /// ```
    pub fn into_inner(self) -> http::Response<Incoming> {
        self.inner
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("url", &self.url)
            .field("status", &self.status())
            .field("version", &self.version())
            .field("headers", self.headers())
            .finish()
    }
}
