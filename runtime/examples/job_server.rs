//! A job server: clients send a shell command, the server runs it as a child process
//! and streams its output back line by line; a log file records every job. On
//! SIGTERM or Ctrl-C the server stops accepting, gives the running jobs a grace
//! period to finish, kills the rest, and exits 0.
//!
//! It brings `weft::net` (`start_server`), `weft::process` (`Command`, pipes,
//! `kill`), `weft::signal` (`signal`, `ctrl_c`'s SIGINT), `weft::fs` (the log) and
//! cancellation together.
//!
//! ```text
//! cargo run --example job_server -- 127.0.0.1:7000 jobs.log 5000
//! printf 'for i in 1 2 3; do echo $i; sleep 1; done\n' | nc 127.0.0.1 7000
//! ```
//!
//! Arguments: the address (port 0 picks a free one; the first line printed says
//! which), the log file (appended to), and the grace period in milliseconds.
//!
//! The protocol, one job per connection: the client sends one line, the command; the
//! server answers `job N started`, then `job N: <line>` for each line the command
//! prints, and last `job N exited with <status>` or `job N killed`.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft::fs::{File, OpenOptions};
use weft::io::{AsyncWriteExt, BufReader};
use weft::net::{start_server, OwnedReadHalf, OwnedWriteHalf};
use weft::process::{Child, ChildStdout, Command, Stdio};
use weft::signal::unix::{signal, SignalKind};
use weft::sync::{Event, Lock, Queue};
use weft::time::timeout;
use weft::Task;

/// A job waiting to run: its number, its command, and where its output goes.
struct Job {
    id: u64,
    command: String,
    client: OwnedWriteHalf,
}

/// The log file (`weft::fs`): one line per event, appended, each written whole and
/// flushed to the file before the next.
#[derive(Clone)]
struct Log {
    file: Arc<Lock<File>>,
}

impl Log {
    async fn open(path: &str) -> io::Result<Log> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .await?;
        Ok(Log {
            file: Arc::new(Lock::new(file)),
        })
    }

    /// Appends `line`. A log that cannot be written is reported, not fatal.
    async fn line(&self, line: String) {
        let mut file = self.file.lock().await;
        let written = async {
            file.write_all(format!("{line}\n").as_bytes()).await?;
            file.flush().await
        };
        if let Err(err) = written.await {
            eprintln!("job server: the log could not be written: {err}");
        }
    }
}

/// One connection: read the command and queue the job; the client's write half
/// goes with it, and receives the job's output.
async fn accept_job(
    mut reader: BufReader<OwnedReadHalf>,
    mut client: OwnedWriteHalf,
    queue: Arc<Queue<Job>>,
    next_id: Arc<AtomicU64>,
) -> io::Result<()> {
    let mut command = String::new();
    if reader.read_line(&mut command).await? == 0 {
        return Ok(()); // the client left without asking
    }
    let id = next_id.fetch_add(1, Ordering::SeqCst);
    let job = Job {
        id,
        command: command.trim_end().to_owned(),
        client,
    };
    if let Err(refused) = queue.put(job).await {
        // The server began shutting down after accepting the connection.
        client = refused.into_inner().client;
        client.write_all(b"server shutting down\n").await?;
    }
    Ok(())
}

/// Runs one job to its end — or, when cancelled (the grace period is over), kills it.
async fn run_job(job: Job, log: Log) {
    let Job {
        id,
        command,
        mut client,
    } = job;
    log.line(format!("job {id} started: {command}")).await;
    let spawned = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0) // the job's own children are killed with it
        .kill_on_drop(true) // whatever happens to this task, the child goes too
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            log.line(format!("job {id} could not start: {err}")).await;
            let _ = client
                .write_all(format!("job {id} failed: {err}\n").as_bytes())
                .await;
            return;
        }
    };
    let _ = client
        .write_all(format!("job {id} started\n").as_bytes())
        .await;
    let stdout = BufReader::new(child.stdout.take().expect("piped"));

    // A cancellable region: a cancellation lands here, and the kill below runs.
    let outcome = weft::cancellable(stream_output(id, stdout, &mut client, &mut child)).await;
    let report = match outcome {
        Ok(Ok(status)) => format!("job {id} exited with {}", describe(status)),
        Ok(Err(err)) => format!("job {id} failed: {err}"),
        Err(_cancelled) => {
            kill_job(&mut child).await;
            format!("job {id} killed")
        }
    };
    log.line(report.clone()).await;
    let _ = client.write_all(format!("{report}\n").as_bytes()).await;
}

/// Sends the job's output to its client, line by line, then waits for its exit.
async fn stream_output(
    id: u64,
    mut stdout: BufReader<ChildStdout>,
    client: &mut OwnedWriteHalf,
    child: &mut Child,
) -> io::Result<ExitStatus> {
    let mut line = String::new();
    while stdout.read_line(&mut line).await? != 0 {
        // A client that went away does not stop the job.
        let _ = client
            .write_all(format!("job {id}: {}", line).as_bytes())
            .await;
        line.clear();
    }
    child.wait().await
}

/// Kills the job's whole process group (the shell and what it started), then reaps
/// the shell.
async fn kill_job(child: &mut Child) {
    if let Some(pid) = child.id() {
        // SAFETY: kill(2) with a negative pid signals the process group the child
        // leads (`process_group(0)`); the child is not reaped yet, so its pid, which
        // is also the group's id, is still ours.
        unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGKILL) };
    }
    let _ = child.kill().await;
}

fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => code.to_string(),
        (None, Some(signal)) => format!("signal {signal}"),
        (None, None) => status.to_string(),
    }
}

/// Sets `stop` at the first SIGTERM or SIGINT (Ctrl-C).
fn stop_on_signals(stop: Arc<Event>) -> io::Result<()> {
    for kind in [SignalKind::terminate(), SignalKind::interrupt()] {
        let mut deliveries = signal(kind)?; // listening from here on
        let stop = stop.clone();
        weft::spawn(async move {
            if deliveries.recv().await.is_some() {
                stop.set();
            }
        });
    }
    Ok(())
}

#[weft::main]
async fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7000".to_owned());
    let log_path = args.next().unwrap_or_else(|| "job_server.log".to_owned());
    let grace_ms: u64 = match args.next().map(|ms| ms.parse()) {
        None => 5_000,
        Some(Ok(ms)) => ms,
        Some(Err(err)) => return Err(io::Error::new(io::ErrorKind::InvalidInput, err)),
    };
    let grace = Duration::from_millis(grace_ms);
    let log = Log::open(&log_path).await?;

    let stop = Arc::new(Event::new());
    stop_on_signals(stop.clone())?;

    let queue = Arc::new(Queue::new(0));
    let next_id = Arc::new(AtomicU64::new(1));
    let server = start_server(addr.as_str(), {
        let queue = queue.clone();
        move |reader, writer| accept_job(reader, writer, queue.clone(), next_id.clone())
    })
    .await?;
    println!("job server: listening on {}", server.local_addr());
    log.line(format!("listening on {}", server.local_addr()))
        .await;

    // Shutdown, part one: at the signal, stop accepting and end the job queue.
    let stopper = weft::spawn({
        let queue = queue.clone();
        let log = log.clone();
        async move {
            stop.wait().await;
            server.close();
            queue.shutdown(false);
            log.line("shutdown: stopped accepting".to_owned()).await;
            println!("job server: stopped accepting");
            server.wait_closed().await;
        }
    });

    // Run the queued jobs until the queue ends.
    let mut jobs: Vec<Task<()>> = Vec::new();
    while let Ok(job) = queue.get().await {
        jobs.retain(|job| !job.is_finished());
        jobs.push(weft::spawn(run_job(job, log.clone())));
    }

    // Shutdown, part two: the running jobs get the grace period, then are killed.
    let finished = timeout(grace, async {
        // A job leaves the list once awaited: a task's output is taken only once.
        while let Some(job) = jobs.last_mut() {
            let _ = job.await;
            jobs.pop();
        }
    })
    .await;
    if finished.is_err() {
        let left = jobs.iter().filter(|job| !job.is_finished()).count();
        log.line(format!("shutdown: grace period over, killing {left} jobs"))
            .await;
        for job in &jobs {
            job.cancel();
        }
        for job in jobs {
            let _ = job.await;
        }
    }
    let _ = stopper.await;
    log.line("shutdown: done".to_owned()).await;
    println!("job server: done");
    Ok(())
}
