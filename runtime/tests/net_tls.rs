//! TLS on weft's streams (feature `tls`): round trips with both ends on weft, rejected
//! certificates, split streams used from two tasks, `start_tls` upgrades, and how a
//! TLS connection ends. Certificates are made at test time (`support::certs`).

mod support;

use std::io;
use std::sync::Arc;
use support::certs::{Ca, Leaf};
use support::{multi_thread_runtime, tcp_pair, within};
use weft::io::{copy, split, AsyncReadExt, AsyncWriteExt, BufReader};
use weft::net::tls::rustls::{AlertDescription, CertificateError, Error as TlsError};
use weft::net::tls::{
    open_connection, rustls_error, start_server, TlsAcceptor, TlsConnector, HANDSHAKE_TIMEOUT,
};
use weft::net::TcpStream;

/// A certificate the client must reject: how does the client's `InvalidCertificate`
/// error read, and which alert did the server's handshake fail with?
struct Rejection {
    client: CertificateError,
    client_message: String,
    server: AlertDescription,
}

/// Runs the handshake of a client trusting `client_ca` and checking `name` against a
/// server presenting `leaf`, expecting both sides to fail, each with a rustls error
/// whose message is the `io::Error`'s.
fn rejection(leaf: Leaf, client_ca: &Ca, name: &str) -> Rejection {
    let acceptor = leaf.acceptor();
    let connector = client_ca.connector(&[]);
    let (client, server) = multi_thread_runtime().block_on(within(async {
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(async move { acceptor.accept(server).await.map(drop) });
        let client = connector.connect(name, client).await.map(drop);
        (client, server.await.unwrap())
    }));
    let (client, server) = (tls_error(client), tls_error(server));
    let TlsError::InvalidCertificate(client) = client else {
        panic!("the client failed with {client:?}, not a certificate error");
    };
    let TlsError::AlertReceived(server) = server else {
        panic!("the server failed with {server:?}, not the client's alert");
    };
    Rejection {
        client_message: TlsError::InvalidCertificate(client.clone()).to_string(),
        client,
        server,
    }
}

/// The rustls error of a failed handshake, with the `io::Error`'s message checked to
/// be rustls's own.
fn tls_error(result: io::Result<()>) -> TlsError {
    let err = result.expect_err("the handshake should fail");
    let inner = rustls_error(&err)
        .unwrap_or_else(|| panic!("not a rustls error: {err:?}"))
        .clone();
    assert_eq!(err.to_string(), inner.to_string());
    inner
}

#[test]
fn a_round_trip_runs_with_both_ends_on_weft() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let leaf = ca.leaf(&["localhost"]);
        let acceptor = TlsAcceptor::new(Arc::new(leaf.server_config(&[b"h2", b"echo/1"])));
        let connector = ca.connector(&[b"echo/1"]);
        let (client, server) = tcp_pair().await;

        let server = weft::spawn(async move {
            let mut tls = acceptor.accept(server).await?;
            assert!(tls.is_server());
            assert_eq!(tls.sni_hostname(), Some("localhost"));
            assert_eq!(tls.alpn_protocol(), Some(&b"echo/1"[..]));
            let mut line = [0; 5];
            tls.read_exact(&mut line).await?;
            tls.write_all(&line.to_ascii_uppercase()).await?;
            tls.close().await
        });

        let mut tls = connector.connect("localhost", client).await.unwrap();
        assert!(!tls.is_server());
        assert_eq!(tls.sni_hostname(), None);
        assert_eq!(tls.alpn_protocol(), Some(&b"echo/1"[..]));
        assert_eq!(tls.session().peer_certificates().unwrap()[0], leaf.cert);
        assert!(tls.get_ref().peer_addr().is_ok());
        tls.write_all(b"hello").await.unwrap();
        tls.flush().await.unwrap();
        let mut reply = Vec::new();
        tls.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"HELLO");
        server.await.unwrap().unwrap();
    }));
}

#[test]
fn open_connection_and_start_server_speak_tls() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let acceptor = ca.leaf(&["localhost"]).acceptor();
        let server = start_server(
            "127.0.0.1:0",
            acceptor,
            |mut reader, mut writer| async move {
                // The connection under the TLS session, reached through either half.
                let peer = writer.with_stream(|tls| tls.get_ref().peer_addr())?;
                assert!(peer.ip().is_loopback());
                let asked_for = reader
                    .get_ref()
                    .with_stream(|tls| tls.sni_hostname().map(str::to_owned));
                assert_eq!(asked_for.as_deref(), Some("localhost"));
                let mut line = String::new();
                reader.read_line(&mut line).await?;
                writer.write_all(line.to_uppercase().as_bytes()).await?;
                writer.close().await
            },
        )
        .await
        .unwrap();

        let port = server.local_addr().port();
        let connector = ca.connector(&[]);
        let (mut reader, mut writer) = open_connection("localhost", port, &connector)
            .await
            .unwrap();
        writer.write_all(b"hello\n").await.unwrap();
        writer.flush().await.unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "HELLO\n");
        line.clear();
        assert_eq!(
            reader.read_line(&mut line).await.unwrap(),
            0,
            "close_notify is a clean EOF"
        );

        server.close();
        server.wait_closed().await;
    }));
}

#[test]
fn a_certificate_from_an_unknown_ca_is_rejected_on_both_sides() {
    let stranger = Ca::new("unrelated CA");
    let trusted = Ca::new("trusted CA");
    let rejected = rejection(stranger.leaf(&["localhost"]), &trusted, "localhost");
    assert_eq!(rejected.client, CertificateError::UnknownIssuer);
    assert_eq!(
        rejected.client_message,
        "invalid peer certificate: UnknownIssuer"
    );
    assert_eq!(rejected.server, AlertDescription::UnknownCA);
}

#[test]
fn a_certificate_for_another_name_is_rejected_on_both_sides() {
    let ca = Ca::new("weft test CA");
    let rejected = rejection(ca.leaf(&["other.example"]), &ca, "localhost");
    assert!(matches!(
        rejected.client,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
    ));
    assert!(rejected.client_message.contains("not valid for name"));
    assert_eq!(rejected.server, AlertDescription::BadCertificate);
}

#[test]
fn an_expired_certificate_is_rejected_on_both_sides() {
    let ca = Ca::new("weft test CA");
    let rejected = rejection(ca.expired_leaf(&["localhost"]), &ca, "localhost");
    assert!(matches!(
        rejected.client,
        CertificateError::Expired | CertificateError::ExpiredContext { .. }
    ));
    assert!(rejected.client_message.contains("expired"));
    assert_eq!(rejected.server, AlertDescription::CertificateExpired);
}

#[test]
fn a_client_that_speaks_no_tls_fails_the_servers_handshake() {
    multi_thread_runtime().block_on(within(async {
        let acceptor = Ca::new("weft test CA").leaf(&["localhost"]).acceptor();
        let (mut client, server) = tcp_pair().await;
        let server = weft::spawn(async move { acceptor.accept(server).await.map(drop) });
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let err = server.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(
            matches!(rustls_error(&err), Some(TlsError::InvalidMessage(_))),
            "{err:?}"
        );
        // The server said so and hung up.
        let mut rest = Vec::new();
        let _ = client.read_to_end(&mut rest).await;
    }));
}

#[test]
fn a_server_name_that_is_not_a_name_is_invalid_input() {
    multi_thread_runtime().block_on(within(async {
        let connector = Ca::new("weft test CA").connector(&[]);
        let (client, _server) = tcp_pair().await;
        let err = connector
            .connect("not a host name!", client)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("invalid TLS server name"), "{err}");
    }));
}

#[test]
fn a_split_stream_echoes_a_large_stream_from_two_tasks() {
    const LEN: usize = 1 << 20;
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let server = start_server(
            "127.0.0.1:0",
            ca.leaf(&["localhost"]).acceptor(),
            |mut reader, mut writer| async move {
                copy(&mut reader, &mut writer).await?;
                writer.close().await
            },
        )
        .await
        .unwrap();

        let port = server.local_addr().port();
        let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        // Socket buffers far smaller than the echo, so the writer waits for the reader
        // to drain it, both halves waiting at once, often. (Not below two loopback
        // segments of 64 KiB: the kernel's window rules would stall every record.)
        let socket = socket2::SockRef::from(&tcp);
        socket.set_send_buffer_size(128 << 10).unwrap();
        socket.set_recv_buffer_size(128 << 10).unwrap();
        let tls = ca.connector(&[]).connect("localhost", tcp).await.unwrap();
        let (mut reader, mut writer) = split(tls);
        let sent: Vec<u8> = (0..LEN).map(|i| (i * 7 % 251) as u8).collect();
        let expected = sent.clone();

        let writing = weft::spawn(async move {
            for chunk in sent.chunks(100_000) {
                writer.write_all(chunk).await?;
            }
            writer.close().await
        });
        let reading = weft::spawn(async move {
            let mut echoed = Vec::with_capacity(LEN);
            reader.read_to_end(&mut echoed).await.map(|_| echoed)
        });
        writing.await.unwrap().unwrap();
        let echoed = reading.await.unwrap().unwrap();
        assert_eq!(echoed.len(), LEN);
        assert!(echoed == expected, "the echo differs from what was sent");

        server.close();
        server.wait_closed().await;
    }));
}

#[test]
fn start_tls_upgrades_a_plain_connection_on_both_sides() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let acceptor = ca.leaf(&["localhost"]).acceptor();
        let server = weft::net::start_server("127.0.0.1:0", move |mut reader, mut writer| {
            let acceptor = acceptor.clone();
            async move {
                let mut line = String::new();
                reader.read_line(&mut line).await?;
                assert_eq!(line, "STARTTLS\n");
                writer.write_all(b"GO\n").await?;
                let (reader, mut writer) = split(acceptor.start_tls(reader, writer).await?);
                let mut reader = BufReader::new(reader);
                line.clear();
                reader.read_line(&mut line).await?;
                writer
                    .write_all(format!("secret was {line}").as_bytes())
                    .await?;
                writer.close().await
            }
        })
        .await
        .unwrap();

        let (mut reader, mut writer) = weft::net::open_connection(server.local_addr())
            .await
            .unwrap();
        writer.write_all(b"STARTTLS\n").await.unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "GO\n");
        let tls = ca
            .connector(&[])
            .start_tls("localhost", reader, writer)
            .await
            .unwrap();
        let (reader, mut writer) = split(tls);
        writer.write_all(b"swordfish\n").await.unwrap();
        writer.flush().await.unwrap();
        let mut reply = String::new();
        BufReader::new(reader)
            .read_to_string(&mut reply)
            .await
            .unwrap();
        assert_eq!(reply, "secret was swordfish\n");

        server.close();
        server.wait_closed().await;
    }));
}

#[test]
fn start_tls_refuses_bytes_that_arrived_before_the_handshake() {
    multi_thread_runtime().block_on(within(async {
        let acceptor = Ca::new("weft test CA").leaf(&["localhost"]).acceptor();
        let (mut client, server) = tcp_pair().await;
        // Both in one write: when it returns, the server's socket holds all of it, so
        // the one read below buffers the injected bytes behind the line.
        client.write_all(b"STARTTLS\nINJECTED").await.unwrap();
        let (reader, writer) = server.into_split();
        let mut reader = BufReader::new(reader);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "STARTTLS\n");
        let err = acceptor.start_tls(reader, writer).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(
            err.to_string().starts_with("8 plaintext bytes arrived"),
            "{err}"
        );
    }));
}

#[test]
fn start_tls_refuses_halves_of_different_connections() {
    multi_thread_runtime().block_on(within(async {
        let connector = Ca::new("weft test CA").connector(&[]);
        let (a, _a_peer) = tcp_pair().await;
        let (b, _b_peer) = tcp_pair().await;
        let (a_reader, _a_writer) = a.into_split();
        let (_b_reader, b_writer) = b.into_split();
        let err = connector
            .start_tls("localhost", BufReader::new(a_reader), b_writer)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }));
}

#[test]
fn close_sends_close_notify_and_the_peer_may_still_answer() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let acceptor = ca.leaf(&["localhost"]).acceptor();
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(async move {
            let mut tls = acceptor.accept(server).await?;
            let mut got = Vec::new();
            tls.read_to_end(&mut got).await?; // ends at the client's close_notify
            tls.write_all(format!("got {} bytes", got.len()).as_bytes())
                .await?;
            tls.close().await
        });

        let tls = ca
            .connector(&[])
            .connect("localhost", client)
            .await
            .unwrap();
        let (mut reader, mut writer) = split(tls);
        writer.write_all(b"twelve bytes").await.unwrap();
        writer.close().await.unwrap();
        let mut answer = String::new();
        reader.read_to_string(&mut answer).await.unwrap();
        assert_eq!(answer, "got 12 bytes");
        server.await.unwrap().unwrap();
    }));
}

#[test]
fn a_stream_dropped_without_close_is_an_unexpected_eof_for_the_peer() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        // No TLS 1.3 session tickets: the client would drop them unread, and a socket
        // closed with unread bytes makes the kernel reset the connection instead
        // (`ConnectionReset` for the server, the other way a cut connection reads).
        let mut config = ca.leaf(&["localhost"]).server_config(&[]);
        config.send_tls13_tickets = 0;
        let acceptor = TlsAcceptor::new(Arc::new(config));
        let (client, server) = tcp_pair().await;
        let server = weft::spawn(async move {
            let mut tls = acceptor.accept(server).await?;
            let mut got = Vec::new();
            tls.read_to_end(&mut got).await.map(|_| got)
        });

        let mut tls = ca
            .connector(&[])
            .connect("localhost", client)
            .await
            .unwrap();
        tls.write_all(b"cut short").await.unwrap();
        tls.flush().await.unwrap();
        drop(tls);
        let err = server.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }));
}

#[test]
fn start_server_survives_a_failed_handshake_and_serves_the_next_client() {
    multi_thread_runtime().block_on(within(async {
        let ca = Ca::new("weft test CA");
        let server = start_server(
            "127.0.0.1:0",
            ca.leaf(&["localhost"]).acceptor(),
            |_reader, mut writer| async move {
                writer.write_all(b"welcome").await?;
                writer.close().await
            },
        )
        .await
        .unwrap();
        let port = server.local_addr().port();

        let stranger = Ca::new("unrelated CA").connector(&[]);
        let err = open_connection("localhost", port, &stranger)
            .await
            .unwrap_err();
        assert_eq!(
            rustls_error(&err),
            Some(&TlsError::InvalidCertificate(
                CertificateError::UnknownIssuer
            ))
        );

        let (mut reader, _writer) = open_connection("localhost", port, &ca.connector(&[]))
            .await
            .unwrap();
        let mut welcome = String::new();
        reader.read_to_string(&mut welcome).await.unwrap();
        assert_eq!(welcome, "welcome");

        server.close();
        server.wait_closed().await;
    }));
}

#[test]
fn start_server_hangs_up_on_a_client_silent_past_the_handshake_timeout() {
    support::paused_runtime().block_on(async {
        let server = start_server(
            "127.0.0.1:0",
            Ca::new("weft test CA").leaf(&["localhost"]).acceptor(),
            |_reader, _writer| async { panic!("no handshake, no handler") },
        )
        .await
        .unwrap();

        let start = weft::time::Instant::now();
        let mut silent = TcpStream::connect(server.local_addr()).await.unwrap();
        let mut buf = [0; 1];
        assert_eq!(silent.read(&mut buf).await.unwrap(), 0);
        assert!(start.elapsed() >= HANDSHAKE_TIMEOUT);

        server.close();
        server.wait_closed().await;
    });
}

#[test]
fn the_webpki_connector_builds_and_rejects_a_private_ca() {
    multi_thread_runtime().block_on(within(async {
        let connector = TlsConnector::with_webpki_roots().unwrap();
        assert!(connector.config().alpn_protocols.is_empty());
        let ca = Ca::new("private CA");
        let acceptor = ca.leaf(&["localhost"]).acceptor();
        let (client, server) = tcp_pair().await;
        let _server = weft::spawn(async move { acceptor.accept(server).await.map(drop) });
        let err = connector.connect("localhost", client).await.unwrap_err();
        assert_eq!(
            rustls_error(&err),
            Some(&TlsError::InvalidCertificate(
                CertificateError::UnknownIssuer
            ))
        );
    }));
}
