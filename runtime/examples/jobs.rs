//! Jobs with timeouts, reported as they complete (asyncio's `as_completed` and
//! `wait_for`).
//!
//! Each job has its own time budget (a `timeout`, asyncio's `wait_for`), and the whole
//! batch has a deadline (`as_completed(...).timeout(...)`). Results are printed in the
//! order the jobs finish; the jobs still running at the deadline are cancelled.
//!
//! The jobs only sleep, so the example runs on a paused clock: time jumps to the next
//! timer whenever every task waits, and the run is instant and always the same.
//!
//! ```text
//! cargo run --example jobs
//! ```

use std::error::Error;
use std::fmt;
use std::time::Duration;

use weft::time::{sleep, timeout, Instant};
use weft::ReturnWhen;

/// A job: how long its work takes, how long it may take, and whether it fails.
struct Job {
    name: &'static str,
    work: Duration,
    budget: Duration,
    fails: bool,
}

const fn job(name: &'static str, work_ms: u64, budget_ms: u64, fails: bool) -> Job {
    Job {
        name,
        work: Duration::from_millis(work_ms),
        budget: Duration::from_millis(budget_ms),
        fails,
    }
}

const JOBS: [Job; 5] = [
    job("resize", 30, 100, false),
    job("thumbnail", 10, 100, false),
    job("transcode", 5_000, 200, false), // far over its budget
    job("index", 50, 100, true),         // fails half-way
    job("backup", 2_000, 10_000, false), // within budget, but past the batch deadline
];

/// The whole batch may take this long.
const BATCH_DEADLINE: Duration = Duration::from_millis(500);

#[derive(Debug)]
enum JobError {
    Failed(&'static str),
    TimedOut(&'static str, Duration),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Failed(name) => write!(f, "{name} failed"),
            JobError::TimedOut(name, budget) => write!(f, "{name} timed out after {budget:?}"),
        }
    }
}

impl Error for JobError {}

/// Runs the job within its budget; the output says what it did.
async fn run_job(job: &'static Job) -> Result<String, JobError> {
    let work = async {
        if job.fails {
            sleep(job.work / 2).await;
            return Err(JobError::Failed(job.name));
        }
        sleep(job.work).await;
        Ok(format!("{} done in {:?}", job.name, job.work))
    };
    // asyncio's wait_for: at the deadline the work is dropped, i.e. cancelled.
    match timeout(job.budget, work).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => Err(JobError::TimedOut(job.name, job.budget)),
    }
}

#[weft::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), Box<dyn Error>> {
    let start = Instant::now();
    let stamp = || format!("[{:>4} ms]", start.elapsed().as_millis());

    // `as_completed` takes tasks: spawn the jobs first, so they all run at once.
    let tasks = JOBS.iter().map(|job| weft::spawn(run_job(job)));
    let mut completed = weft::as_completed(tasks).timeout(BATCH_DEADLINE);

    while let Some(next) = completed.next_completed().await {
        match next {
            Ok(Ok(Ok(report))) => println!("{} {report}", stamp()),
            Ok(Ok(Err(job_error))) => println!("{} {job_error}", stamp()),
            // The task itself ended without a value: it panicked or was cancelled.
            Ok(Err(task_error)) => println!("{} {task_error}", stamp()),
            Err(_elapsed) => println!("{} batch deadline reached", stamp()),
        }
    }

    // The stream cancels nothing: the jobs not finished are still running. Cancel
    // them, then wait until they have ended (their destructors have run).
    let remaining = completed.into_remaining();
    for task in &remaining {
        task.cancel();
    }
    if !remaining.is_empty() {
        let (ended, _) = weft::wait(remaining, ReturnWhen::AllCompleted).await?;
        let cancelled = ended.iter().filter(|task| task.is_cancelled()).count();
        println!("{} cancelled {cancelled} job still running", stamp());
    }
    Ok(())
}
