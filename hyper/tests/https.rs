//! `https` through the pooled client (feature `tls`): the certificate checked against
//! a private root and the host name, HTTP/2 negotiated by ALPN, HTTP/1.1 when only it
//! is offered, and an untrusted or misnamed certificate refused with rustls's reason.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Version;
use hyper_util::server::conn::auto;
use std::sync::Arc;
use weft::net::tls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use weft::net::tls::rustls::{CertificateError, ClientConfig, RootCertStore, ServerConfig};
use weft::net::tls::{rustls_error, TlsAcceptor, TlsConnector};
use weft::net::TcpListener;
use weft_hyper::client::{self, ConnectError, Connector};
use weft_hyper::rt::{WeftExecutor, WeftIo};
use weft_hyper::Client;

/// A self-signed certificate for `localhost`, made for this test.
fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(made.key_pair.serialize_der().into());
    (made.cert.der().clone(), key)
}

/// An HTTPS server on 127.0.0.1:0 answering "secure", offering `h2` and
/// `http/1.1`; its port.
async fn serve_https(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> u16 {
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::new(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(weft::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            drop(weft::spawn(async move {
                // A failed handshake (the tests that refuse the certificate) ends here.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let hello = hyper::service::service_fn(|_req| async {
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from(
                        "secure",
                    ))))
                });
                let builder = auto::Builder::new(WeftExecutor::new());
                let _ = builder.serve_connection(WeftIo::new(tls), hello).await;
            }));
        }
    }));
    port
}

/// A client that trusts `cert` only and offers `alpn`.
fn client_trusting(cert: CertificateDer<'static>, alpn: &[&[u8]]) -> Client {
    let mut roots = RootCertStore::empty();
    roots.add(cert).unwrap();
    let mut config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let connector = Connector::new().tls(TlsConnector::new(Arc::new(config)));
    Client::from(client::builder().build(connector))
}

/// The rustls reason an https request was refused for.
fn refusal(err: &weft_hyper::Error) -> &weft::net::tls::rustls::Error {
    match err.connect_error() {
        Some(ConnectError::Tls { error, .. }) => rustls_error(error).expect("a rustls error"),
        other => panic!("not a TLS connect error: {other:?} ({err})"),
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_negotiates_http2_by_alpn() {
    let (cert, key) = certificate();
    let port = serve_https(cert.clone(), key).await;
    let client = client_trusting(cert, &[b"h2", b"http/1.1"]);
    let response = client
        .get(format!("https://localhost:{port}/"))
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.text().await.unwrap(), "secure");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_speaks_http1_when_only_it_is_offered() {
    let (cert, key) = certificate();
    let port = serve_https(cert.clone(), key).await;
    let client = client_trusting(cert, &[b"http/1.1"]);
    let response = client
        .get(format!("https://localhost:{port}/"))
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
    assert_eq!(response.text().await.unwrap(), "secure");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_from_an_unknown_issuer_is_refused() {
    let (cert, key) = certificate();
    let port = serve_https(cert, key).await;
    // The default client trusts the Web PKI, which did not sign this certificate.
    let url = format!("https://localhost:{port}/");
    let err = weft_hyper::get(&url).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
    assert!(
        matches!(
            refusal(&err),
            weft::net::tls::rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{err}"
    );
    assert!(err.to_string().contains(&url), "{err}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_is_refused() {
    let (cert, key) = certificate();
    let port = serve_https(cert.clone(), key).await;
    // Trusted, but issued to `localhost`, not to 127.0.0.1.
    let client = client_trusting(cert, &[b"h2", b"http/1.1"]);
    let err = client
        .get(format!("https://127.0.0.1:{port}/"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refusal(&err),
            weft::net::tls::rustls::Error::InvalidCertificate(_)
        ),
        "{err}"
    );
}
