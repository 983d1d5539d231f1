//! [`IntoUrl`]: what [`Client::get`](super::Client::get) and [`get`](crate::get) take
//! as a URL, checked before anything is sent.

use crate::Error;
use http::Uri;

/// A URL for a request: `&str`, `String`, `&String`, [`Uri`] or `&Uri`. It must be
/// absolute, `http` or `https`, with a host; anything else is an
/// [`Error::InvalidUrl`] before any connection is tried. Sealed.
///
/// ```
/// # async fn demo(client: weft_hyper::Client) -> Result<(), weft_hyper::Error> {
/// let port = 8080;
/// client.get("http://127.0.0.1:8080/").await?;
/// client.get(format!("http://127.0.0.1:{port}/")).await?;
/// client.get(hyper::Uri::from_static("http://127.0.0.1:8080/")).await?;
/// # Ok(()) }
/// ```
pub trait IntoUrl: sealed::Sealed {}

mod sealed {
    use super::*;

    /// The seal: the conversion, unnameable outside the crate.
    #[allow(unreachable_pub)]
    pub trait Sealed {
        /// The checked URL.
        fn into_uri(self) -> Result<Uri, Error>;
    }

    impl Sealed for &str {
        fn into_uri(self) -> Result<Uri, Error> {
            match self.parse::<Uri>() {
                Ok(uri) => check(uri, self),
                Err(err) => Err(invalid(self, err.to_string())),
            }
        }
    }

    impl Sealed for String {
        fn into_uri(self) -> Result<Uri, Error> {
            self.as_str().into_uri()
        }
    }

    impl Sealed for &String {
        fn into_uri(self) -> Result<Uri, Error> {
            self.as_str().into_uri()
        }
    }

    impl Sealed for Uri {
        fn into_uri(self) -> Result<Uri, Error> {
            let given = self.to_string();
            check(self, &given)
        }
    }

    impl Sealed for &Uri {
        fn into_uri(self) -> Result<Uri, Error> {
            self.clone().into_uri()
        }
    }
}

impl IntoUrl for &str {}
impl IntoUrl for String {}
impl IntoUrl for &String {}
impl IntoUrl for Uri {}
impl IntoUrl for &Uri {}

/// Turns `url` into a checked [`Uri`].
pub(crate) fn into_uri(url: impl IntoUrl) -> Result<Uri, Error> {
    url.into_uri()
}

/// Accepts absolute `http`/`https` URLs with a host.
pub(crate) fn check(uri: Uri, given: &str) -> Result<Uri, Error> {
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(other) => {
            return Err(invalid(
                given,
                format!("the scheme {other:?} is neither http nor https"),
            ))
        }
        None => {
            return Err(invalid(
                given,
                "not an absolute URL (http://host/...)".into(),
            ))
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid(given, "the URL has no host".into()));
    }
    Ok(uri)
}

fn invalid(given: &str, reason: String) -> Error {
    Error::InvalidUrl {
        url: given.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_http_urls_pass() {
        for url in [
            "http://127.0.0.1:8080/x?y=1",
            "https://example.com",
            "http://[::1]/",
        ] {
            assert!(into_uri(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn bad_urls_are_named_with_the_reason() {
        for (url, reason) in [
            ("not a url", "invalid"),
            ("/relative", "absolute"),
            ("ftp://example.com/", "scheme"),
            ("http://", "invalid"),
        ] {
            let err = into_uri(url).unwrap_err();
            let message = err.to_string();
            assert!(matches!(err, Error::InvalidUrl { .. }), "{url}: {message}");
            assert!(message.contains(url), "{message}");
            assert!(message.to_lowercase().contains(reason), "{url}: {message}");
        }
    }
}
