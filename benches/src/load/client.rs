//! The load: one std thread per connection, blocking sockets, one request in flight per
//! connection. The same code drives both servers; what one request is, the binary
//! says with its [`Exchange`].

use super::cpu::CpuSnapshot;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// Client threads do little besides blocking in the kernel.
const CLIENT_STACK: usize = 128 * 1024;
/// The name of every client thread, before its index (what [`CpuSnapshot`] tells the
/// clients by).
const CLIENT_THREAD: &str = "load-client-";

/// One request and its whole response, on a connection of its own: a connection's
/// thread makes one and calls [`round_trip`](Exchange::round_trip) in a loop.
pub trait Exchange: Send + 'static {
    /// Sends one request on `stream` and reads its whole response, checking it.
    fn round_trip(&mut self, stream: &mut TcpStream) -> io::Result<()>;
}

/// The phases every client thread follows, read before each request.
const WARMING_UP: u8 = 0;
const MEASURING: u8 = 1;
const STOPPED: u8 = 2;

/// What one measurement saw.
#[derive(Debug)]
pub struct Load {
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
    /// Requests completed per second of the measured window.
    pub fn requests_per_sec(&self) -> f64 {
        self.requests as f64 / self.window.as_secs_f64()
    }

    /// The `p`th percentile round trip, in microseconds (0 with no request).
    pub fn percentile_micros(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[index] as f64 / 1_000.0
    }

    /// Microseconds of the server's CPU time per request (`None`: not measured).
    pub fn server_cpu_micros(&self) -> Option<f64> {
        let cpu = self.server_cpu?;
        (self.requests > 0).then(|| cpu.as_secs_f64() * 1e6 / self.requests as f64)
    }

    /// The least-served connection's requests as a share of the mean per connection:
    /// 1.0 when every connection is served alike, near 0 when one starves.
    pub fn fairness(&self) -> f64 {
        if self.requests == 0 {
            return 0.0;
        }
        self.fewest_per_connection as f64 * self.connections as f64 / self.requests as f64
    }
}

/// The round with the median request rate.
pub fn median_round(loads: &[Load]) -> &Load {
    let mut by_rate: Vec<&Load> = loads.iter().collect();
    by_rate.sort_by(|a, b| a.requests_per_sec().total_cmp(&b.requests_per_sec()));
    by_rate[by_rate.len() / 2]
}

/// Opens `connections` connections to `addr`, runs requests (`exchange()`'s) on all
/// of them for `warmup`, then counts those that start in the next `duration`.
pub fn run<E: Exchange>(
    addr: SocketAddr,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    exchange: fn() -> E,
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
                .spawn(move || connection(addr, &phase, &ready, exchange()))
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

/// One connection's loop: a round trip, recorded if it started while measuring.
fn connection(
    addr: SocketAddr,
    phase: &AtomicU8,
    ready: &Barrier,
    mut exchange: impl Exchange,
) -> Vec<u64> {
    let stream = TcpStream::connect(addr);
    ready.wait();
    let mut stream = stream.expect("connect to the server");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    let mut latencies = Vec::new();
    loop {
        let now = phase.load(Relaxed);
        if now == STOPPED {
            return latencies;
        }
        let start = Instant::now();
        if let Err(err) = exchange.round_trip(&mut stream) {
            panic!("a request failed: {err}");
        }
        if now == MEASURING {
            latencies.push(start.elapsed().as_nanos() as u64);
        }
    }
}
