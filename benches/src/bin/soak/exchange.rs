//! One message's round trip: send it while reading its echo, then compare the echo
//! with what was sent, byte for byte.
//!
//! The write and the read run at once (`weft::join!` over the connection's two
//! halves): a 64 KiB message need not fit in the socket buffers before its echo is
//! read. An impatient read puts a `timeout` around every `read` and, when it fires,
//! reads again: `read` is cancel safe, so the bytes it would have returned wait in the
//! socket for the next one, and the echo still matches.

use std::time::Duration;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{OwnedReadHalf, OwnedWriteHalf};
use weft::time::timeout;

/// Sends `message` and reads its echo; with `patience`, each read of the echo that
/// takes longer is cancelled and retried. Returns how many reads were cancelled.
///
/// # Errors
///
/// What went wrong, in words: an I/O error, the server hanging up early, or the first
/// byte where the echo differs.
pub(crate) async fn exchange(
    reader: &mut OwnedReadHalf,
    writer: &mut OwnedWriteHalf,
    message: &[u8],
    patience: Option<Duration>,
) -> Result<u64, String> {
    let mut echo = vec![0; message.len()];
    let (written, read) = weft::join!(
        writer.write_all(message),
        read_echo(reader, &mut echo, patience)
    );
    written.map_err(|err| format!("the write failed: {err}"))?;
    let cancelled_reads = read?;
    if echo != message {
        let at = message
            .iter()
            .zip(&echo)
            .position(|(sent, got)| sent != got)
            .unwrap_or(message.len());
        return Err(format!(
            "the echo differs at byte {at}: sent {:#04x}, got {:#04x}",
            message[at], echo[at]
        ));
    }
    Ok(cancelled_reads)
}

/// Fills `echo` from `reader`; returns how many reads `patience` cancelled.
async fn read_echo(
    reader: &mut OwnedReadHalf,
    echo: &mut [u8],
    patience: Option<Duration>,
) -> Result<u64, String> {
    let mut got = 0;
    let mut cancelled_reads = 0;
    while got < echo.len() {
        let read = match patience {
            None => reader.read(&mut echo[got..]).await,
            Some(patience) => match timeout(patience, reader.read(&mut echo[got..])).await {
                Ok(read) => read,
                Err(_elapsed) => {
                    cancelled_reads += 1;
                    continue;
                }
            },
        };
        match read {
            Ok(0) => {
                return Err(format!(
                    "the server hung up after {got} of {} echoed bytes",
                    echo.len()
                ))
            }
            Ok(n) => got += n,
            Err(err) => {
                return Err(format!(
                    "the read failed after {got} of {} echoed bytes: {err}",
                    echo.len()
                ))
            }
        }
    }
    Ok(cancelled_reads)
}
