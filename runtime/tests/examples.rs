//! Every example in `runtime/examples/` builds, runs to completion on its own, exits 0
//! and prints what it promises.
//!
//! The examples are built once per test run by `cargo build --workspace --examples`, in
//! this test binary's profile and target directory — a no-op after `cargo test
//! --workspace`, which builds the examples anyway with the same features — and each is
//! then run as a process with a time limit: an example that hangs fails its test
//! instead of hanging the suite.

mod proc_table;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// Every example, with the test that runs it below. `every_example_is_run_by_a_test`
/// keeps this list equal to the directory.
const EXAMPLES: [&str; 6] = [
    "echo",
    "job_server",
    "jobs",
    "pipeline",
    "threadsafe",
    "tour",
];

/// Far more than any example needs (the slowest takes a fraction of a second); only a
/// hang gets near it.
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[test]
fn tour_prints_every_step_and_exits_0() {
    let out = run_example("tour", &[]);
    assert_in_order(
        &out,
        &[
            "basic patterns",
            "  1. awaited a job future: job-",
            "  2. cancelled the hour-long job: task ",
            "  3. gathered 10 jobs, every record queued before it started",
            "advanced patterns",
            "  4. task group: 5 jobs, all finished when the group did",
            "  5. semaphore(3): 10 jobs completed",
            "  6. gathered 4 jobs: 3 succeeded, 1 failed: Job job_3 failed!",
            "  7. wait_for: the 1 s job timed out after 100 ms",
            "  8. call_soon: callback_executed",
            "  9. shield: the waiter was cancelled, the shielded task returned \"important_result\"",
            "tour finished in ",
        ],
    );
}

#[test]
fn pipeline_runs_each_pattern_to_its_expected_result() {
    let out = run_example("pipeline", &[]);
    assert_in_order(
        &out,
        &[
            "pipeline: 2 producers, 3 consumers, 20 items processed, sum 210",
            "rate limiter: 6 calls, never more than 2 at once: ALPHA BETA GAMMA DELTA EPSILON ZETA",
            "background: 5 tasks started, 2 finished by themselves, shutdown cancelled 3",
            "async range: [0, 1, 2, 3, 4]",
            "to_thread: checksum ",
        ],
    );
}

#[test]
fn echo_serves_its_client_on_the_given_address_then_stops() {
    // Port 0: a free port, so the test never collides with another user of 8888.
    let out = run_example("echo", &["127.0.0.1:0"]);
    assert_in_order(
        &out,
        &[
            "server: serving on 127.0.0.1:",
            "server: received \"Hello World!\" from 127.0.0.1:",
            "client: received \"Hello World!\"",
            "server: received \"ping\" from 127.0.0.1:",
            "client: received \"ping\"",
            " closed the connection",
            "server: closed",
        ],
    );
}

#[test]
fn jobs_reports_in_completion_order_and_cancels_the_straggler() {
    let out = run_example("jobs", &[]);
    // A paused clock: the times are exact.
    assert_in_order(
        &out,
        &[
            "[  10 ms] thumbnail done in 10ms",
            "[  25 ms] index failed",
            "[  30 ms] resize done in 30ms",
            "[ 200 ms] transcode timed out after 200ms",
            "[ 500 ms] batch deadline reached",
            "[ 500 ms] cancelled 1 job still running",
        ],
    );
}

#[test]
fn threadsafe_gets_results_and_cancels_from_plain_threads() {
    let out = run_example("threadsafe", &[]);
    assert_in_order(
        &out,
        &[
            "run_coroutine_threadsafe: squares from 4 threads: [1, 4, 9, 16]",
            "cancelled from a plain thread: task ",
            "call_soon: ran on weft-worker",
            "runtime shut down",
        ],
    );
}

#[test]
fn job_server_lets_a_running_job_finish_and_kills_a_long_one_at_sigterm() {
    let scratch = std::env::temp_dir().join(format!("weft-job-server-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let log = scratch.join("jobs.log");
    let go = scratch.join("go");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&go);
    // The grace period only bounds how long the killed job is given; the short job
    // needs a fraction of it once released.
    let mut server = JobServer::start(&log, "8000");
    let addr = server.expect_line("job server: listening on ");

    let mut short = JobClient::submit(
        &addr,
        &format!(
            "echo waiting; while [ ! -e {} ]; do sleep 0.01; done; echo released",
            go.display()
        ),
    );
    short.expect_line("job 1 started");
    short.expect_line("job 1: waiting");
    let mut long = JobClient::submit(&addr, "echo running $$; sleep 600");
    long.expect_line("job 2 started");
    let group: u32 = long.expect_line("job 2: running ").trim().parse().unwrap();

    // SAFETY: sending SIGTERM to the example, a child of this test.
    assert_eq!(unsafe { libc::kill(server.pid(), libc::SIGTERM) }, 0);
    server.expect_line("job server: stopped accepting");
    let refused = std::net::TcpStream::connect(&addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);

    std::fs::write(&go, "").unwrap(); // the short job may finish now
    short.expect_line("job 1: released");
    short.expect_line("job 1 exited with 0");
    long.expect_line("job 2 killed");
    server.expect_line("job server: done");
    assert!(server.wait().success(), "the job server did not exit 0");
    // The job's shell and its `sleep` were killed as a group: none lives on (a
    // zombie left to init to reap is dead; dying takes a moment).
    let killed = Instant::now();
    while !proc_table::living_in_group(group).is_empty() {
        assert!(
            killed.elapsed() < TIME_LIMIT,
            "the killed job's own children outlived it"
        );
        thread::sleep(Duration::from_millis(5));
    }

    let logged = std::fs::read_to_string(&log).unwrap();
    assert_in_order(
        &logged,
        &[
            "listening on 127.0.0.1:",
            "job 1 started: echo waiting;",
            "job 2 started: echo running $$; sleep 600",
            "shutdown: stopped accepting",
            "job 1 exited with 0",
            "shutdown: grace period over, killing 1 jobs",
            "job 2 killed",
            "shutdown: done",
        ],
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The job server example, running, its stdout read line by line on a thread.
struct JobServer {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl JobServer {
    fn start(log: &Path, grace_ms: &str) -> JobServer {
        let path = match built_examples() {
            Ok(paths) => paths.get("job_server").expect("cargo built no job_server"),
            Err(err) => panic!("building the examples failed:\n{err}"),
        };
        let mut child = Command::new(path)
            .arg("127.0.0.1:0")
            .arg(log)
            .arg(grace_ms)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("starting {}: {err}", path.display()));
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        JobServer { child, lines }
    }

    fn pid(&self) -> libc::pid_t {
        self.child.id() as libc::pid_t
    }

    /// Waits for a line starting with `prefix`; returns the rest of it.
    fn expect_line(&mut self, prefix: &str) -> String {
        loop {
            match self.lines.recv_timeout(TIME_LIMIT) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return rest.to_owned();
                    }
                }
                Err(err) => panic!("the job server never printed {prefix:?}: {err}"),
            }
        }
    }

    /// The exit status, within the time limit.
    fn wait(&mut self) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < TIME_LIMIT,
                "the job server never exited"
            );
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for JobServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client of the job server: one connection, one job.
struct JobClient {
    reader: std::io::BufReader<std::net::TcpStream>,
}

impl JobClient {
    fn submit(addr: &str, command: &str) -> JobClient {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(TIME_LIMIT)).unwrap();
        writeln!(stream, "{command}").unwrap();
        JobClient {
            reader: std::io::BufReader::new(stream),
        }
    }

    /// Reads the next line and checks it starts with `prefix`; returns the rest.
    fn expect_line(&mut self, prefix: &str) -> String {
        use std::io::BufRead;
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let line = line.trim_end_matches('\n');
        match line.strip_prefix(prefix) {
            Some(rest) => rest.to_owned(),
            None => panic!("expected a line starting {prefix:?}, got {line:?}"),
        }
    }
}

#[test]
fn every_example_is_run_by_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let is_rust = path.extension().is_some_and(|ext| ext == "rs");
            is_rust.then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    found.sort();
    assert_eq!(
        found, EXAMPLES,
        "runtime/examples/ and this file's EXAMPLES differ: add a test for each new example"
    );
}

/// Runs the example `name` with `args`; returns its standard output after checking
/// that it exited 0 within the time limit.
fn run_example(name: &str, args: &[&str]) -> String {
    let path = match built_examples() {
        Ok(paths) => paths
            .get(name)
            .unwrap_or_else(|| panic!("cargo built no example named {name}")),
        Err(err) => panic!("building the examples failed:\n{err}"),
    };
    let mut child = Command::new(path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("starting {}: {err}", path.display()));
    // Drain both pipes on threads, so a chatty example cannot block on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the example") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "example {name} was still running after {TIME_LIMIT:?}: killed\n\
                 --- stdout ---\n{}\n--- stderr ---\n{}",
                joined(stdout),
                joined(stderr)
            );
        }
        thread::sleep(Duration::from_millis(5));
    };
    let (stdout, stderr) = (joined(stdout), joined(stderr));
    assert!(
        status.success(),
        "example {name} exited with {status}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    );
    stdout
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

fn joined(reader: thread::JoinHandle<String>) -> String {
    reader.join().unwrap_or_default()
}

/// Asserts that `output` has a line containing each of `expected`, in this order.
fn assert_in_order(output: &str, expected: &[&str]) {
    let mut lines = output.lines();
    for want in expected {
        assert!(
            lines.any(|line| line.contains(want)),
            "no line containing {want:?} (in this order) in the output:\n{output}"
        );
    }
}

/// The example binaries by name, built once for every test in this file.
fn built_examples() -> &'static Result<HashMap<String, PathBuf>, String> {
    static BUILT: OnceLock<Result<HashMap<String, PathBuf>, String>> = OnceLock::new();
    BUILT.get_or_init(build_examples)
}

/// `cargo build --workspace --examples` in the profile and target directory this test
/// binary was built in (it lives in `<target-dir>/<profile>/deps/`), reading the path
/// of each of this package's examples from cargo's JSON messages.
///
/// `--workspace` resolves features as `cargo test --workspace` (the README's command)
/// does, so the binaries that built are reused; after `cargo test -p weft-rt` the
/// examples are built once more, with the workspace's features.
fn build_examples() -> Result<HashMap<String, PathBuf>, String> {
    let exe = std::env::current_exe().map_err(|err| err.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the test binary is not in <target>/<profile>/deps")?;
    let target_dir = profile_dir
        .parent()
        .ok_or("the test binary is not in <target>/<profile>/deps")?;
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--workspace", "--examples"])
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir);
    match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            build.arg("--release");
        }
        Some(custom) => {
            build.args(["--profile", custom]);
        }
    }
    let output = build
        .output()
        .map_err(|err| format!("running cargo: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo build --workspace --examples exited with {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let this_package = format!(r#""manifest_path":"{}""#, manifest.display());
    let examples: HashMap<String, PathBuf> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|message| message.contains(r#""kind":["example"]"#))
        .filter(|message| message.contains(&this_package))
        .filter_map(executable)
        .filter_map(|path| Some((path.file_stem()?.to_str()?.to_owned(), path)))
        .collect();
    Ok(examples)
}

/// The `"executable"` path of one of cargo's JSON messages, if it has one. (Paths with
/// a `"` or a `\` in them would need a JSON parser; cargo's target directories do not
/// have them.)
fn executable(message: &str) -> Option<PathBuf> {
    let start = message.find(r#""executable":""#)? + r#""executable":""#.len();
    let len = message[start..].find('"')?;
    Some(PathBuf::from(&message[start..start + len]))
}
