//! One client connection's life: messages of random sizes, each echoed and verified,
//! until the run's deadline; now and then an impatient read, or a hang-up in the
//! middle of a message followed by a new connection.

use crate::exchange::exchange;
use crate::rng::SplitMix64;
use crate::tally::Tally;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use weft::io::AsyncWriteExt;
use weft::net::{OwnedReadHalf, OwnedWriteHalf, TcpStream};

/// The largest message: 64 KiB.
pub(crate) const MAX_MESSAGE: usize = 64 * 1024;
/// One message in this many is cut off: part of it is sent, then the client hangs up
/// and connects again.
const CLOSE_MID_MESSAGE_ONE_IN: u64 = 500;
/// One message in this many is read impatiently (see [`PATIENCE`]).
const IMPATIENT_ONE_IN: u64 = 10;
/// How long an impatient client waits for each read of the echo before cancelling it.
const PATIENCE: Duration = Duration::from_millis(1);

/// A message size from 1 B to [`MAX_MESSAGE`], log-uniform: a power of two from 2^0 to
/// 2^16 picked evenly, then a size evenly between it and the next, so small messages
/// (many per second, many wake-ups) and large ones (many reads and writes each) both
/// come often.
pub(crate) fn message_len(rng: &mut SplitMix64) -> usize {
    let power = rng.below(17) as u32;
    let low = 1usize << power;
    let high = (2 * low).min(MAX_MESSAGE + 1);
    low + rng.below((high - low) as u64) as usize
}

/// Runs connection `id` until `deadline`; a failure goes to `tally` with the
/// connection's id.
pub(crate) async fn run(
    id: usize,
    addr: SocketAddr,
    mut rng: SplitMix64,
    deadline: Instant,
    tally: &Tally,
) {
    if let Err(failure) = converse(addr, &mut rng, deadline, tally).await {
        tally.fail(format!("connection {id}: {failure}"));
    }
}

async fn converse(
    addr: SocketAddr,
    rng: &mut SplitMix64,
    deadline: Instant,
    tally: &Tally,
) -> Result<(), String> {
    let mut halves = connect(addr, tally).await?;
    let mut sent = 0u64;
    while Instant::now() < deadline {
        let mut message = vec![0; message_len(rng)];
        rng.fill(&mut message);
        sent += 1;
        let (reader, writer) = &mut halves;
        if rng.one_in(CLOSE_MID_MESSAGE_ONE_IN) {
            let part = 1 + rng.below(message.len() as u64) as usize;
            writer
                .write_all(&message[..part])
                .await
                .map_err(|err| format!("message {sent}: writing {part} B failed: {err}"))?;
            // Hang up with the echo unread; the server's handler sees the connection
            // end under it.
            drop(halves);
            Tally::add(&tally.closed_mid_message, 1);
            halves = connect(addr, tally).await?;
            continue;
        }
        let patience = rng.one_in(IMPATIENT_ONE_IN).then_some(PATIENCE);
        let cancelled_reads = exchange(reader, writer, &message, patience)
            .await
            .map_err(|failure| format!("message {sent} ({} B): {failure}", message.len()))?;
        Tally::add(&tally.messages, 1);
        Tally::add(&tally.bytes_verified, message.len() as u64);
        Tally::add(&tally.cancelled_reads, cancelled_reads);
    }
    Ok(())
}

/// A new connection to the server, split in halves.
pub(crate) async fn connect(
    addr: SocketAddr,
    tally: &Tally,
) -> Result<(OwnedReadHalf, OwnedWriteHalf), String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|err| format!("connecting to {addr} failed: {err}"))?;
    stream
        .set_nodelay(true)
        .map_err(|err| format!("TCP_NODELAY failed: {err}"))?;
    Tally::add(&tally.connections, 1);
    Ok(stream.into_split())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_sizes_span_one_byte_to_64_kib() {
        let mut rng = SplitMix64::new(7);
        let sizes: Vec<usize> = (0..100_000).map(|_| message_len(&mut rng)).collect();
        assert!(sizes.iter().all(|&n| (1..=MAX_MESSAGE).contains(&n)));
        assert!(sizes.contains(&1));
        assert!(sizes.contains(&MAX_MESSAGE));
    }
}
