//! Running tokio-only crates inside weft tasks through async-compat (the documented
//! way, `docs/ecosystem.md`): tokio's timers and sockets work inside a `Compat`
//! future, and panic without one — the message a user sees is pinned here.

mod support;

use async_compat::{Compat, CompatExt};
use std::time::Duration;
use support::{multi_thread_runtime, within};

/// What tokio panics with when its timers or sockets are used without its runtime.
const NO_REACTOR: &str =
    "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

/// The message a task panicked with.
fn panic_message(err: weft::TaskError) -> String {
    assert!(err.is_panic(), "{err}");
    let payload = err.into_panic();
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast_ref::<&str>().unwrap().to_string(),
    }
}

#[test]
fn tokio_sleep_runs_in_a_weft_task_inside_compat() {
    multi_thread_runtime().block_on(within(async {
        let slept = weft::spawn(Compat::new(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            "woke"
        }));
        assert_eq!(slept.await.unwrap(), "woke");
    }));
}

#[test]
fn a_tokio_tcp_round_trip_runs_in_a_weft_task_inside_compat() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    multi_thread_runtime().block_on(within(async {
        let echoed = weft::spawn(
            async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?;
                // A task on async-compat's tokio runtime: tokio::spawn works in Compat.
                let echo = tokio::spawn(async move {
                    let (mut stream, _) = listener.accept().await?;
                    let mut buf = [0; 5];
                    stream.read_exact(&mut buf).await?;
                    stream.write_all(&buf).await?;
                    std::io::Result::Ok(())
                });
                let mut stream = tokio::net::TcpStream::connect(addr).await?;
                stream.write_all(b"hello").await?;
                let mut reply = [0; 5];
                stream.read_exact(&mut reply).await?;
                echo.await.unwrap()?;
                std::io::Result::Ok(reply)
            }
            .compat(),
        );
        assert_eq!(&echoed.await.unwrap().unwrap(), b"hello");
    }));
}

/// A weft server for one connection, in weft's own traits: greets, then closes.
async fn greet_once(listener: weft::net::TcpListener) -> std::io::Result<()> {
    use weft::io::AsyncWriteExt;
    let (mut stream, _) = listener.accept().await?;
    stream.write_all(b"from weft").await?;
    stream.close().await
}

#[test]
fn a_tokio_client_inside_compat_talks_to_a_weft_server() {
    use tokio::io::AsyncReadExt;
    multi_thread_runtime().block_on(within(async {
        let listener = weft::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(greet_once(listener));
        let reply = weft::spawn(Compat::new(async move {
            let mut stream = tokio::net::TcpStream::connect(addr).await?;
            let mut reply = String::new();
            stream.read_to_string(&mut reply).await?;
            std::io::Result::Ok(reply)
        }));
        assert_eq!(reply.await.unwrap().unwrap(), "from weft");
        server.await.unwrap().unwrap();
    }));
}

#[test]
fn without_compat_tokio_sleep_panics_with_no_reactor_running() {
    multi_thread_runtime().block_on(within(async {
        let err = weft::spawn(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
        })
        .await
        .unwrap_err();
        assert_eq!(panic_message(err), NO_REACTOR);
    }));
}

#[test]
fn without_compat_a_tokio_socket_panics_with_no_reactor_running() {
    multi_thread_runtime().block_on(within(async {
        let err = weft::spawn(async {
            let _ = tokio::net::TcpListener::bind("127.0.0.1:0").await;
        })
        .await
        .unwrap_err();
        assert_eq!(panic_message(err), NO_REACTOR);
    }));
}
