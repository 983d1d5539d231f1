use super::*;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::Wake;

struct CountWake(AtomicUsize);

impl Wake for CountWake {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

fn waker() -> Waker {
    Arc::new(CountWake(AtomicUsize::new(0))).into()
}

/// Fires everything due at `now`, returning how many fired.
fn fire(wheel: &mut Wheel, now: u64) -> usize {
    let mut n = 0;
    while wheel.fire_next(now).is_some() {
        n += 1;
    }
    n
}

#[test]
fn a_timer_fires_at_its_tick_and_not_before() {
    for when in [
        1,
        2,
        63,
        64,
        65,
        4095,
        4096,
        4097,
        262_143,
        1 << 24,
        (1 << 30) + 17,
    ] {
        let mut wheel = Wheel::new();
        let key = wheel.insert(when, Some(waker()));
        assert_eq!(fire(&mut wheel, when - 1), 0, "fired early at {when}");
        assert!(wheel.next_expiration().unwrap() <= when);
        assert_eq!(fire(&mut wheel, when), 1, "did not fire at {when}");
        assert_eq!(wheel.poll(key, &waker()), TimerState::Fired);
        assert_eq!(wheel.len(), 0);
    }
}

#[test]
fn timers_fire_in_deadline_order() {
    let mut wheel = Wheel::new();
    let deadlines = [500u64, 3, 70_000, 64, 1, 4100, 2_000_000, 65];
    let keys: Vec<_> = deadlines
        .iter()
        .map(|&w| (w, wheel.insert(w, None)))
        .collect();
    let mut sorted = deadlines.to_vec();
    sorted.sort();
    let mut order = Vec::new();
    // Step one tick at a time through the interesting points only.
    let mut now = 0;
    while order.len() < deadlines.len() {
        let next = wheel.next_expiration().unwrap();
        assert!(next >= now);
        now = next;
        while wheel.fire_next(now).is_some() {}
        for &(w, key) in &keys {
            if !order.contains(&w) && wheel.poll(key, &waker()) == TimerState::Fired {
                assert!(w <= now, "{w} fired at {now}");
                order.push(w);
            }
        }
    }
    assert_eq!(order, sorted);
}

#[test]
fn a_removed_timer_never_fires_and_its_key_dies() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(10, Some(waker()));
    assert!(wheel.remove(key).is_some());
    assert_eq!(wheel.len(), 0);
    assert_eq!(fire(&mut wheel, 100), 0);
    assert!(wheel.remove(key).is_none());
    assert!(!wheel.reset(key, 20));
    // The freed slot is reused; the old key does not reach the new timer.
    let other = wheel.insert(30, None);
    assert!(wheel.remove(key).is_none());
    assert_eq!(wheel.poll(other, &waker()), TimerState::Waiting);
}

#[test]
fn reset_moves_a_timer_earlier_later_and_into_the_past() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(1000, None);
    assert!(wheel.reset(key, 5));
    assert_eq!(fire(&mut wheel, 4), 0);
    assert_eq!(fire(&mut wheel, 5), 1);

    let key = wheel.insert(10, None);
    assert!(wheel.reset(key, 100_000));
    assert_eq!(fire(&mut wheel, 99_999), 0);
    assert_eq!(fire(&mut wheel, 100_000), 1);

    let key = wheel.insert(200_000, None);
    assert!(wheel.reset(key, 0));
    assert_eq!(wheel.next_expiration(), Some(wheel.elapsed()));
    let elapsed = wheel.elapsed();
    assert_eq!(fire(&mut wheel, elapsed), 1);
}

#[test]
fn a_timer_beyond_the_wheel_range_is_not_lost_nor_early() {
    let mut wheel = Wheel::new();
    let far = (1u64 << 36) * 3 + 12_345;
    let key = wheel.insert(far, None);
    let mut now = 0;
    while let Some(next) = wheel.next_expiration() {
        assert!(next > now || next == wheel.elapsed());
        now = next;
        if wheel.fire_next(now).is_some() {
            break;
        }
    }
    assert_eq!(now, far);
    assert_eq!(wheel.poll(key, &waker()), TimerState::Fired);
}

#[test]
fn poll_keeps_one_waker_and_fire_takes_it() {
    let mut wheel = Wheel::new();
    let counter = Arc::new(CountWake(AtomicUsize::new(0)));
    let w: Waker = counter.clone().into();
    let key = wheel.insert(3, None);
    assert_eq!(wheel.poll(key, &w), TimerState::Waiting);
    assert_eq!(wheel.poll(key, &w), TimerState::Waiting);
    let fired = wheel.fire_next(3).unwrap().unwrap();
    fired.wake();
    assert_eq!(counter.0.load(SeqCst), 1);
    assert_eq!(wheel.poll(key, &w), TimerState::Fired);
}

#[test]
fn many_timers_each_fire_once() {
    let mut wheel = Wheel::new();
    let mut state = 0x1234_5678_u64;
    let count = if cfg!(miri) { 200 } else { 20_000 };
    let keys: Vec<_> = (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let when = 1 + state % 5_000_000;
            (when, wheel.insert(when, None))
        })
        .collect();
    let mut fired = 0;
    let mut now = 0;
    while let Some(next) = wheel.next_expiration() {
        now = next.max(now);
        fired += fire(&mut wheel, now);
    }
    assert_eq!(fired, keys.len());
    for (when, key) in keys {
        assert!(when <= now);
        assert_eq!(wheel.poll(key, &waker()), TimerState::Fired);
    }
    assert_eq!(wheel.len(), 0);
}

#[test]
fn fire_any_fires_everything_regardless_of_time() {
    let mut wheel = Wheel::new();
    for when in [5, 5000, 5_000_000, 1 << 40] {
        wheel.insert(when, None);
    }
    let mut n = 0;
    while wheel.fire_any().is_some() {
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
#[cfg_attr(miri, ignore = "a million entries is too slow under miri")]
fn a_million_pending_timers_insert_reset_and_remove() {
    const N: u64 = 1_000_000;
    let mut wheel = Wheel::new();
    let keys: Vec<_> = (0..N)
        .map(|i| wheel.insert(1 + i % 100_000, None))
        .collect();
    assert_eq!(wheel.len(), N as usize);
    for (i, key) in keys.iter().enumerate().step_by(2) {
        assert!(wheel.reset(*key, 200_000 + i as u64));
    }
    for key in keys.iter().skip(1).step_by(2) {
        wheel.remove(*key);
    }
    assert_eq!(wheel.len(), (N / 2) as usize);
    assert_eq!(fire(&mut wheel, 199_999), 0, "the reset ones are all later");
    let mut fired = 0;
    while let Some(next) = wheel.next_expiration() {
        fired += fire(&mut wheel, next);
    }
    assert_eq!(fired, (N / 2) as usize);
}
