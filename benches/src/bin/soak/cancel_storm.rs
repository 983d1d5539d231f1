//! Tasks cancelled in the middle of their work, a few a second: each victim is
//! spawned, given a random head start of up to 10 ms, then cancelled wherever it is —
//! connecting, sending, reading its echo, or asleep.
//!
//! Victims come in three kinds, picked at random:
//!
//! 1. an echo of one message, which the cancel drops at its current await (the
//!    socket closes with the echo half read);
//! 2. a sleep of up to 20 ms and the echo, inside a `weft::task::cancellable` region,
//!    which catches the cancel, then cleans up with an await of its own (a sleep) and
//!    ends normally, as an asyncio task that catches `CancelledError` does;
//! 3. a sleep of up to 20 ms before the echo, so the cancel also removes armed timers.
//!
//! A victim that finishes before its cancel arrives must have verified its echo; one
//! that ends cancelled must say so in its `TaskError`.

use crate::connection::{connect, message_len};
use crate::exchange::exchange;
use crate::rng::SplitMix64;
use crate::tally::Tally;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use weft::time::{interval, sleep};

/// Victims spawned a second.
const PER_SECOND: u32 = 5;
/// The longest head start a victim gets before its cancel.
const MAX_HEAD_START_MICROS: u64 = 10_000;

/// How a victim ended, when it was not ended by the cancel.
enum Ending {
    /// It verified its echo before the cancel came.
    Finished,
    /// Its region caught the cancel and it cleaned up.
    CaughtCancel,
}

/// Spawns and cancels victims until `deadline`.
pub(crate) async fn run(
    addr: SocketAddr,
    mut rng: SplitMix64,
    deadline: Instant,
    tally: Arc<Tally>,
) {
    let mut ticks = interval(Duration::from_secs(1) / PER_SECOND);
    let mut spawned = 0u64;
    while Instant::now() < deadline {
        ticks.tick().await;
        spawned += 1;
        let victim = weft::spawn(victim(addr, rng.fork(), tally.clone()));
        sleep(Duration::from_micros(rng.below(MAX_HEAD_START_MICROS))).await;
        victim.cancel();
        match victim.await {
            Ok(Ok(Ending::Finished)) => Tally::add(&tally.finished_before_cancel, 1),
            Ok(Ok(Ending::CaughtCancel)) => Tally::add(&tally.caught_cancels, 1),
            Ok(Err(failure)) => tally.fail(format!("cancelled task {spawned}: {failure}")),
            Err(err) if err.is_cancelled() => Tally::add(&tally.cancelled_tasks, 1),
            Err(err) => tally.fail(format!("cancelled task {spawned} failed: {err}")),
        }
    }
}

/// One victim: one of the three kinds in the module's doc.
async fn victim(
    addr: SocketAddr,
    mut rng: SplitMix64,
    tally: Arc<Tally>,
) -> Result<Ending, String> {
    let mut message = vec![0; message_len(&mut rng)];
    rng.fill(&mut message);
    let nap = Duration::from_micros(rng.below(2 * MAX_HEAD_START_MICROS));
    match rng.below(3) {
        0 => echo_once(addr, &message, &tally).await,
        1 => {
            let work = async {
                sleep(nap).await;
                echo_once(addr, &message, &tally).await
            };
            match weft::task::cancellable(work).await {
                Ok(finished) => finished,
                Err(_cancelled) => {
                    // Cleanup that awaits, after the cancel was caught.
                    sleep(Duration::from_millis(1)).await;
                    Ok(Ending::CaughtCancel)
                }
            }
        }
        _ => {
            sleep(nap).await;
            echo_once(addr, &message, &tally).await
        }
    }
}

/// Connects, echoes `message` once and verifies it.
async fn echo_once(addr: SocketAddr, message: &[u8], tally: &Tally) -> Result<Ending, String> {
    let (mut reader, mut writer) = connect(addr, tally).await?;
    exchange(&mut reader, &mut writer, message, None).await?;
    Ok(Ending::Finished)
}
