//! Intervals: the schedule, and each missed-tick behaviour.

mod support;

use std::time::Duration;
use support::paused_runtime;
use weft::time::{advance, interval, interval_at, Instant, MissedTickBehavior};

const PERIOD: Duration = Duration::from_millis(100);

/// Ticks once, then stalls for 350 ms (3.5 periods), then records the next ticks'
/// offsets from the start, in milliseconds.
async fn ticks_after_a_stall(behavior: MissedTickBehavior) -> Vec<u128> {
    let start = Instant::now();
    let mut ticks = interval(PERIOD);
    ticks.set_missed_tick_behavior(behavior);
    assert_eq!(ticks.tick().await, start);
    advance(Duration::from_millis(350)).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let due = ticks.tick().await;
        seen.push((due - start).as_millis());
    }
    seen
}

#[test]
fn ticks_come_one_period_apart() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut ticks = interval(PERIOD);
        for i in 0..5u32 {
            assert_eq!(ticks.tick().await, start + PERIOD * i);
            assert_eq!(Instant::now(), start + PERIOD * i);
        }
    });
}

#[test]
fn burst_fires_the_missed_ticks_back_to_back() {
    let rt = paused_runtime();
    let seen = rt.block_on(ticks_after_a_stall(MissedTickBehavior::Burst));
    assert_eq!(seen, [100, 200, 300, 400, 500]);
}

#[test]
fn delay_restarts_the_schedule_from_the_late_tick() {
    let rt = paused_runtime();
    let seen = rt.block_on(ticks_after_a_stall(MissedTickBehavior::Delay));
    // The late tick (due at 100) fires at 350; the next ones follow it by a period.
    assert_eq!(seen, [100, 450, 550, 650, 750]);
}

#[test]
fn skip_drops_the_missed_ticks_and_keeps_the_grid() {
    let rt = paused_runtime();
    let seen = rt.block_on(ticks_after_a_stall(MissedTickBehavior::Skip));
    assert_eq!(seen, [100, 400, 500, 600, 700]);
}

#[test]
fn interval_at_starts_at_the_given_instant() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now() + Duration::from_secs(3);
        let mut ticks = interval_at(start, PERIOD);
        assert_eq!(ticks.tick().await, start);
        assert_eq!(Instant::now(), start);
    });
}

#[test]
fn reset_starts_a_fresh_period_from_now() {
    let rt = paused_runtime();
    rt.block_on(async {
        let start = Instant::now();
        let mut ticks = interval(PERIOD);
        ticks.tick().await;
        advance(Duration::from_millis(30)).await.unwrap();
        ticks.reset();
        assert_eq!(ticks.tick().await, start + Duration::from_millis(130));
    });
}

#[test]
fn a_zero_period_ticks_every_poll_and_yields_between() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let other = weft::spawn({
            let ran = ran.clone();
            async move {
                ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        let mut ticks = interval(Duration::ZERO);
        ticks.tick().await;
        ticks.tick().await;
        // The second tick yielded, so the other task ran before it.
        assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 1);
        other.await.unwrap();
    });
}
