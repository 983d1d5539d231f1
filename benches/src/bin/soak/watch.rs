//! The run's watcher, a thread of its own: it samples the open descriptors (the peak
//! goes in the report), prints progress every ten seconds, and ends the process with a
//! clear message if the run is still going long after it should have ended — a hang
//! (a lost wake-up, a shutdown that never finishes) fails the soak instead of stalling
//! it.

use crate::fd_count::open_fds;
use crate::tally::Tally;
use std::process;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use weft::Handle;

/// How often the descriptors are counted.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// How often progress is printed.
const REPORT_EVERY: Duration = Duration::from_secs(10);
/// The exit code of a run that hung.
pub(crate) const HUNG: i32 = 3;

pub(crate) struct Watch {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<usize>,
}

/// What the watcher looks at.
pub(crate) struct Watched {
    pub(crate) tally: Arc<Tally>,
    pub(crate) server: Handle,
    pub(crate) clients: Handle,
    /// Past this moment the run has hung.
    pub(crate) give_up_at: Instant,
}

impl Watch {
    pub(crate) fn start(watched: Watched) -> Watch {
        let (stop, stopped) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("soak-watch".into())
            .spawn(move || watch(&watched, &stopped))
            .expect("the watcher's thread");
        Watch { stop, thread }
    }

    /// Stops the watcher; returns the most descriptors it saw open at once.
    pub(crate) fn stop(self) -> usize {
        drop(self.stop);
        self.thread.join().expect("the watcher panicked")
    }
}

fn watch(watched: &Watched, stopped: &mpsc::Receiver<()>) -> usize {
    let start = Instant::now();
    let mut peak_fds = 0;
    let mut next_report = start + REPORT_EVERY;
    loop {
        match stopped.recv_timeout(SAMPLE_EVERY) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return peak_fds,
        }
        let fds = open_fds().unwrap_or(0);
        peak_fds = peak_fds.max(fds);
        let now = Instant::now();
        if now >= next_report {
            next_report += REPORT_EVERY;
            eprintln!(
                "[{:>4.0} s] {}; {fds} open fds",
                start.elapsed().as_secs_f64(),
                watched.tally
            );
        }
        if now >= watched.give_up_at {
            eprintln!(
                "soak FAILED: still running {:.0} s after it started, long past its end: a \
                 hang.\n{}\nserver runtime: {}client runtime: {}",
                start.elapsed().as_secs_f64(),
                watched.tally,
                watched.server.metrics(),
                watched.clients.metrics(),
            );
            process::exit(HUNG);
        }
    }
}
