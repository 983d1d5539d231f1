//! CPU time the server spent in the measured window: every thread of the process but
//! the main one and the load generator's clients (so the running server's workers and
//! blocking threads), read from Linux's per-thread `/proc/self/task/<tid>/schedstat`
//! (nanoseconds on a CPU).
//!
//! On two cores shared by the clients and the server, requests per second swing by
//! ±15 % from one run to the next with the machine; the CPU the server spends per
//! request moves much less, so it is the steadier measure of its efficiency. The
//! clients' own figure is not reported: the kernel runs much of loopback TCP's receive
//! work in soft interrupts, charged to whichever thread is on the CPU or to
//! `ksoftirqd`, and the client threads' share of it swung by 5× between runs. Where
//! `/proc` cannot be read, the figure is absent, not zero.

use std::collections::HashMap;
use std::fs;
use std::time::Duration;

/// The server's threads' CPU time at one instant, by thread id.
pub struct CpuSnapshot(HashMap<u32, u64>);

impl CpuSnapshot {
    /// Reads the CPU time of every thread but the main one and those named
    /// `client_prefix…`; `None` where `/proc/self/task` is unreadable.
    pub fn take(client_prefix: &str) -> Option<CpuSnapshot> {
        let main = std::process::id();
        let mut threads = HashMap::new();
        for entry in fs::read_dir("/proc/self/task").ok()? {
            let Ok(entry) = entry else { continue };
            let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            if tid == main {
                continue;
            }
            // A thread that ended meanwhile has no files left: it is skipped.
            let (Ok(name), Ok(stat)) = (
                fs::read_to_string(entry.path().join("comm")),
                fs::read_to_string(entry.path().join("schedstat")),
            ) else {
                continue;
            };
            if name.starts_with(client_prefix) {
                continue;
            }
            if let Some(on_cpu) = stat.split_whitespace().next().and_then(|s| s.parse().ok()) {
                threads.insert(tid, on_cpu);
            }
        }
        Some(CpuSnapshot(threads))
    }

    /// What the server's threads spent from `self` to `later`, counting the threads
    /// present in both.
    pub fn spent_until(&self, later: &CpuSnapshot) -> Duration {
        let nanos = later
            .0
            .iter()
            .filter_map(|(tid, &end)| Some(end.saturating_sub(*self.0.get(tid)?)))
            .sum();
        Duration::from_nanos(nanos)
    }
}
