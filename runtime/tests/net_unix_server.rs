//! `start_unix_server`: echo over a Unix socket, the socket file it owns (a stale one
//! replaced, removed on close unless replaced), and close / wait_closed.

mod support;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{open_unix_connection, start_unix_server, UnixListener, UnixServer, UnixStream};

fn runtime() -> weft::Runtime {
    weft::Runtime::builder().worker_threads(2).build().unwrap()
}

/// A fresh directory for one test's socket files, removed when dropped.
struct SocketDir(PathBuf);

impl SocketDir {
    fn new(test: &str) -> SocketDir {
        let dir = std::env::temp_dir().join(format!("weft-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        SocketDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The seed's echo server, on a Unix socket.
async fn echo_server(path: &Path) -> io::Result<UnixServer> {
    start_unix_server(path, |mut reader, mut writer| async move {
        weft::io::copy(&mut reader, &mut writer).await?;
        writer.close().await
    })
    .await
}

async fn round_trip(path: &Path, message: &[u8]) -> Vec<u8> {
    let (mut reader, mut writer) = open_unix_connection(path).await.unwrap();
    writer.write_all(message).await.unwrap();
    writer.close().await.unwrap();
    let mut back = Vec::new();
    reader.read_to_end(&mut back).await.unwrap();
    back
}

#[test]
fn an_echo_round_trip_through_start_unix_server() {
    let dir = SocketDir::new("unix-echo");
    let path = dir.path("echo.sock");
    runtime().block_on(async {
        let server = echo_server(&path).await.unwrap();
        assert_eq!(
            server.local_addr().as_pathname(),
            Some(path.as_path()),
            "local_addr names the socket file"
        );
        assert_eq!(
            round_trip(&path, b"over a unix socket").await,
            b"over a unix socket"
        );
    });
}

#[test]
fn a_hundred_concurrent_connections_each_get_exactly_their_own_bytes_back() {
    let dir = SocketDir::new("unix-many");
    let path = Arc::new(dir.path("echo.sock"));
    runtime().block_on(async {
        let _server = echo_server(&path).await.unwrap();
        let clients: Vec<_> = (0..100u32)
            .map(|i| {
                let path = path.clone();
                weft::spawn(async move {
                    let message: Vec<u8> = (0..200u32).map(|j| (i * 13 + j) as u8).collect();
                    round_trip(&path, &message).await == message
                })
            })
            .collect();
        for (i, client) in clients.into_iter().enumerate() {
            assert!(
                client.await.unwrap(),
                "connection {i} got bytes not its own"
            );
        }
    });
}

#[test]
fn a_stale_socket_file_left_at_the_path_is_replaced() {
    let dir = SocketDir::new("unix-stale");
    let path = dir.path("stale.sock");
    // A socket file whose server is gone, as a crash leaves it.
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    runtime().block_on(async {
        let _server = echo_server(&path).await.unwrap();
        assert_eq!(round_trip(&path, b"fresh").await, b"fresh");
    });
}

#[test]
fn a_regular_file_at_the_path_is_an_error_and_stays() {
    let dir = SocketDir::new("unix-file");
    let path = dir.path("data.txt");
    std::fs::write(&path, b"precious").unwrap();
    runtime().block_on(async {
        let err = echo_server(&path).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");
    });
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
}

#[test]
fn a_missing_directory_is_an_error() {
    let dir = SocketDir::new("unix-nodir");
    let path = dir.path("no/such/dir.sock");
    runtime().block_on(async {
        let err = echo_server(&path).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
    });
}

#[test]
fn close_refuses_connections_and_removes_the_socket_file() {
    let dir = SocketDir::new("unix-close");
    let path = dir.path("echo.sock");
    runtime().block_on(async {
        let server = echo_server(&path).await.unwrap();
        assert!(server.is_serving());
        server.close();
        assert!(!path.exists(), "close left the socket file");
        assert!(
            UnixStream::connect(&path).await.is_err(),
            "a closed server accepted"
        );
        server.wait_closed().await;
        assert!(!server.is_serving());
    });
}

#[test]
fn dropping_the_server_removes_the_socket_file() {
    let dir = SocketDir::new("unix-drop");
    let path = dir.path("echo.sock");
    runtime().block_on(async {
        drop(echo_server(&path).await.unwrap());
    });
    assert!(!path.exists());
}

#[test]
fn close_leaves_a_socket_file_another_server_bound_since() {
    let dir = SocketDir::new("unix-replaced");
    let path = dir.path("echo.sock");
    runtime().block_on(async {
        let old = echo_server(&path).await.unwrap();
        // A second server takes the path over: the first one's file is replaced.
        let new = echo_server(&path).await.unwrap();
        old.close();
        assert!(
            path.exists(),
            "the old server removed the new server's file"
        );
        assert_eq!(round_trip(&path, b"still served").await, b"still served");
        drop(new);
        assert!(!path.exists());
    });
}

#[test]
fn wait_closed_waits_for_the_handlers_of_a_closed_server() {
    let dir = SocketDir::new("unix-wait");
    let path = dir.path("held.sock");
    runtime().block_on(async {
        let entered = Arc::new(weft::sync::Event::new());
        let server = start_unix_server(&path, {
            let entered = entered.clone();
            move |mut reader, _writer| {
                let entered = entered.clone();
                async move {
                    entered.set();
                    reader.read_to_end(&mut Vec::new()).await?;
                    Ok(())
                }
            }
        })
        .await
        .unwrap();
        let held = UnixStream::connect(&path).await.unwrap();
        entered.wait().await;
        server.close();
        support::wait_closed_waits_for_the_handler(&server, held).await;
    });
}

#[test]
fn a_plain_unix_listener_still_leaves_its_file() {
    // Only the server owns its file; a bare listener behaves as std's does.
    let dir = SocketDir::new("unix-bare");
    let path = dir.path("bare.sock");
    runtime().block_on(async {
        drop(UnixListener::bind(&path).unwrap());
    });
    assert!(path.exists());
}

#[test]
fn wait_closed_returns_for_a_server_closed_before_its_accept_loop_ran() {
    let dir = SocketDir::new("unix-early-close");
    let path = dir.path("echo.sock");
    // One thread: the accept loop is queued behind this future and has not run when
    // `close` cancels it.
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let server = echo_server(&path).await.unwrap();
        server.close();
        let closed = weft::time::timeout(Duration::from_secs(30), server.wait_closed()).await;
        assert!(closed.is_ok(), "wait_closed never returned");
        assert!(!path.exists());
    });
}
