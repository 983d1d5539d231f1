//! The load: one std thread per connection, blocking sockets, one request in flight per
//! connection. The same code drives both servers.

use crate::cpu::CpuSnapshot;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// Bytes per request (and per echo).
pub(crate) const MESSAGE_LEN: usize = 100;
/// Client threads do little besides blocking in the kernel.
const CLIENT_STACK: usize = 128 * 1024;
/// The name of every client thread, before its index (what [`CpuSnapshot`] tells the
/// clients by).
const CLIENT_THREAD: &str = "echo-client-";

/// The phases every client thread follows, read before each request.
const WARMING_UP: u8 = 0;
const MEASURING: u8 = 1;
const STOPPED: u8 = 2;

/// What one measurement saw.
#[derive(Debug)]
pub(crate) struct Load {
    requests: usize,
    window: Duration,
    /// Round-trip times in nanoseconds, sorted.
    latencies: Vec<u64>,
    /// The fewest requests one connection completed.
    fewest_per_connection: usize,
    connections: usize,
    /// CPU the server spent in the window, if readable.
    server_cpu: Option<Duration>,
}

impl Load {
    pub(crate) fn requests_per_sec(&self) -> f64 {
        self.requests as f64 / self.window.as_secs_f64()
    }

    /// The `p`th percentile round trip, in microseconds (0 with no request).
    pub(crate) fn percentile_micros(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[index] as f64 / 1_000.0
    }

    /// Microseconds of the server's CPU time per request (`None`: not measured).
    pub(crate) fn server_cpu_micros(&self) -> Option<f64> {
        let cpu = self.server_cpu?;
        (self.requests > 0).then(|| cpu.as_secs_f64() * 1e6 / self.requests as f64)
    }

    /// The least-served connection's requests as a share of the mean per connection:
    /// 1.0 when every connection is served alike, near 0 when one starves.
    pub(crate) fn fairness(&self) -> f64 {
        if self.requests == 0 {
            return 0.0;
        }
        self.fewest_per_connection as f64 * self.connections as f64 / self.requests as f64
    }
}

/// The round with the median request rate.
pub(crate) fn median_round(loads: &[Load]) -> &Load {
    let mut by_rate: Vec<&Load> = loads.iter().collect();
    by_rate.sort_by(|a, b| a.requests_per_sec().total_cmp(&b.requests_per_sec()));
    by_rate[by_rate.len() / 2]
}

/// Opens `connections` connections to `addr`, runs requests on all of them for
/// `warmup`, then counts those that start in the next `duration`.
pub(crate) fn run(
    addr: SocketAddr,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> Load {
    let phase = Arc::new(AtomicU8::new(WARMING_UP));
    let ready = Arc::new(Barrier::new(connections + 1));
    let threads: Vec<_> = (0..connections)
        .map(|i| {
            let phase = phase.clone();
            let ready = ready.clone();
            thread::Builder::new()
                .name(format!("{CLIENT_THREAD}{i}"))
                .stack_size(CLIENT_STACK)
                .spawn(move || connection(addr, &phase, &ready))
                .expect("a client thread")
        })
        .collect();
    ready.wait();
    thread::sleep(warmup);
    let cpu_before = CpuSnapshot::take(CLIENT_THREAD);
    phase.store(MEASURING, Relaxed);
    let start = Instant::now();
    thread::sleep(duration);
    phase.store(STOPPED, Relaxed);
    let window = start.elapsed();
    let server_cpu = cpu_before
        .zip(CpuSnapshot::take(CLIENT_THREAD))
        .map(|(before, after)| before.spent_until(&after));

    let mut latencies = Vec::new();
    let mut fewest_per_connection = usize::MAX;
    for thread in threads {
        let one = thread.join().expect("a client thread panicked");
        fewest_per_connection = fewest_per_connection.min(one.len());
        latencies.extend(one);
    }
    latencies.sort_unstable();
    Load {
        requests: latencies.len(),
        window,
        latencies,
        fewest_per_connection,
        connections,
        server_cpu,
    }
}

/// One connection's loop: request, wait for the echo, record the round trip if it
/// started while measuring.
fn connection(addr: SocketAddr, phase: &AtomicU8, ready: &Barrier) -> Vec<u64> {
    let stream = TcpStream::connect(addr);
    ready.wait();
    let mut stream = stream.expect("connect to the echo server");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    let request = [b'x'; MESSAGE_LEN];
    let mut echo = [0u8; MESSAGE_LEN];
    let mut latencies = Vec::new();
    loop {
        let now = phase.load(Relaxed);
        if now == STOPPED {
            return latencies;
        }
        let start = Instant::now();
        stream.write_all(&request).expect("send a request");
        stream.read_exact(&mut echo).expect("read the echo");
        assert_eq!(echo, request, "the server echoed something else");
        if now == MEASURING {
            latencies.push(start.elapsed().as_nanos() as u64);
        }
    }
}
