//! A TLS echo through split halves, each stack with its own pieces, 2 worker threads
//! each: weft's `net::tls` with `weft::io::split` and `weft::io::copy`, beside
//! tokio-rustls with `tokio::io::split` and `tokio::io::copy` on tokio. Both run the
//! same rustls (aws-lc-rs), so what differs is the runtime, the futures-io/tokio TLS
//! adapter and the split's protocol (weft's joint waker against tokio's plain lock).
//!
//! One iteration: connect on 127.0.0.1, handshake, then the client's writer task sends
//! 1 MiB in 16 KiB writes and closes (`close_notify`) while its reader reads the echo;
//! the server copies its read half into its write half and closes. Certificates are
//! made once, at start (rcgen).
//!
//! Run: `cargo bench -p weft-benches --bench tls`. Ratios: `docs/performance.md`,
//! section TLS.

use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::{Arc, OnceLock};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore, ServerConfig};
use weft_benches::contender::{self, Contender, Tokio, Weft};

/// Bytes echoed per iteration, and per write.
const ECHO: usize = 1 << 20;
const CHUNK: usize = 16 << 10;
/// Criterion samples per contender.
const SAMPLES: usize = 20;

/// The server's and the client's configurations: a self-signed certificate for
/// "localhost", trusted by the client.
fn configs() -> &'static (Arc<ServerConfig>, Arc<ClientConfig>) {
    static CONFIGS: OnceLock<(Arc<ServerConfig>, Arc<ClientConfig>)> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(made.key_pair.serialize_der().into());
        let server = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key)
            .unwrap();
        let mut roots = RootCertStore::empty();
        roots.add(made.cert.der().clone()).unwrap();
        let client = ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        (Arc::new(server), Arc::new(client))
    })
}

/// What the client sends: not all one byte, so a misplaced chunk would show.
fn payload() -> &'static [u8] {
    static PAYLOAD: OnceLock<Vec<u8>> = OnceLock::new();
    PAYLOAD.get_or_init(|| (0..ECHO).map(|i| (i % 251) as u8).collect())
}

fn echo_weft(runtime: &Weft) {
    use weft::io::{AsyncReadExt, AsyncWriteExt};
    use weft::net::tls::{TlsAcceptor, TlsConnector};
    let (server_config, client_config) = configs();
    let echoed = runtime.block_on(async {
        let listener = weft::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = TlsAcceptor::new(server_config.clone());
        let server = weft::spawn(async move {
            let (tcp, _) = listener.accept().await?;
            let (mut reader, mut writer) = weft::io::split(acceptor.accept(tcp).await?);
            weft::io::copy(&mut reader, &mut writer).await?;
            writer.close().await
        });
        let tcp = weft::net::TcpStream::connect(addr).await.unwrap();
        let connector = TlsConnector::new(client_config.clone());
        let tls = connector.connect("localhost", tcp).await.unwrap();
        let (mut reader, mut writer) = weft::io::split(tls);
        let sending = weft::spawn(async move {
            for chunk in payload().chunks(CHUNK) {
                writer.write_all(chunk).await?;
            }
            writer.close().await
        });
        let mut echoed = vec![0; ECHO];
        reader.read_exact(&mut echoed).await.unwrap();
        sending.await.unwrap().unwrap();
        server.await.unwrap().unwrap();
        echoed
    });
    assert!(echoed == payload());
}

fn echo_tokio(runtime: &Tokio) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (server_config, client_config) = configs();
    let echoed = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(server_config.clone());
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await?;
            let (mut reader, mut writer) = tokio::io::split(acceptor.accept(tcp).await?);
            tokio::io::copy(&mut reader, &mut writer).await?;
            writer.shutdown().await
        });
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let connector = tokio_rustls::TlsConnector::from(client_config.clone());
        let name = ServerName::try_from("localhost").unwrap();
        let tls = connector.connect(name, tcp).await.unwrap();
        let (mut reader, mut writer) = tokio::io::split(tls);
        let sending = tokio::spawn(async move {
            for chunk in payload().chunks(CHUNK) {
                writer.write_all(chunk).await?;
            }
            writer.shutdown().await
        });
        let mut echoed = vec![0; ECHO];
        reader.read_exact(&mut echoed).await.unwrap();
        sending.await.unwrap().unwrap();
        server.await.unwrap().unwrap();
        echoed
    });
    assert!(echoed == payload());
}

fn tls(c: &mut Criterion) {
    contender::compare_pair(
        c,
        "tls_split_echo_1mib",
        ECHO,
        SAMPLES,
        echo_weft,
        echo_tokio,
    );
}

criterion_group!(benches, tls);
criterion_main!(benches);
