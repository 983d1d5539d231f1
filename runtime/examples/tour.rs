//! The asyncio job-scheduler tour, ported step by step to weft.
//!
//! A scheduler starts jobs fire-and-forget; starting a job has an intrinsic delay, and
//! each job records when it was queued and when it started. The tour walks through
//! asyncio's basic patterns (a future, a task and its cancellation, gather) and its
//! advanced ones (a TaskGroup, a Semaphore, errors from gathered jobs, a timeout, a
//! loop callback, shield), printing each step and checking what it shows.
//!
//! It runs on weft's default multi-thread runtime, on the real clock, in well under a
//! second:
//!
//! ```text
//! cargo run --release --example tour
//! ```

use std::error::Error;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft::sync::{oneshot, Event, Semaphore};
use weft::time::{sleep, timeout, Instant};

/// Starting a job takes this long (the seed's `_DELAY_SMALL`).
const DELAY_SMALL: Duration = Duration::from_millis(1);
/// An hour: a job nobody waits for (the seed's `_DELAY_LARGE`).
const DELAY_LARGE: Duration = Duration::from_secs(3600);

/// The main functions return this: any error, boxed.
type TourResult<T = ()> = Result<T, Box<dyn Error>>;

/// A job record with useful metadata.
#[derive(Debug)]
struct JobRecord {
    id: String,
    queued_at: Instant,
    started_at: Instant,
}

impl JobRecord {
    /// A job starts after it was queued, never at the same instant.
    fn is_valid(&self) -> bool {
        self.queued_at < self.started_at
    }
}

/// A fresh job id (the seed uses `uuid4().hex`).
fn new_job_id() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("job-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Starts job `id` after `delay`.
async fn start_job(id: String, delay: Duration) -> JobRecord {
    let queued_at = Instant::now();
    sleep(delay).await;
    JobRecord {
        id,
        queued_at,
        started_at: Instant::now(),
    }
}

/// Why a job failed: an error is a value, returned rather than raised.
#[derive(Debug)]
struct JobFailed(String);

impl fmt::Display for JobFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Job {} failed!", self.0)
    }
}

impl Error for JobFailed {}

/// A job that sometimes fails: every job whose id ends in a multiple of 3.
async fn failing_job(id: &'static str) -> Result<(), JobFailed> {
    let last_digit = id.chars().last().and_then(|c| c.to_digit(10));
    if last_digit.is_some_and(|d| d % 3 == 0) {
        return Err(JobFailed(id.to_owned()));
    }
    sleep(DELAY_SMALL).await;
    Ok(())
}

async fn basic_async_patterns() -> TourResult {
    println!("basic patterns");

    // Calling an async fn builds a future, like calling a coroutine function: nothing
    // runs until it is awaited.
    let single_job = start_job(new_job_id(), DELAY_SMALL);
    let single_record = single_job.await;
    assert!(single_record.is_valid());
    println!(
        "  1. awaited a job future: {} started {:.1?} after it was queued",
        single_record.id,
        single_record.started_at - single_record.queued_at,
    );

    // A task runs on its own, on some worker, and can be cancelled (asyncio's
    // create_task and task.cancel()).
    let mut single_task = weft::spawn(start_job(new_job_id(), DELAY_LARGE));
    single_task.cancel();
    let err = (&mut single_task)
        .await
        .expect_err("a cancelled task has no record");
    assert!(err.is_cancelled() && single_task.is_cancelled());
    println!("  2. cancelled the hour-long job: {err}");

    // gather: every job runs concurrently, as a task; the records come back in order.
    let batch = weft::gather_all((0..10).map(|_| start_job(new_job_id(), DELAY_SMALL))).await;
    let batch_records: Vec<JobRecord> = batch.into_iter().collect::<Result<_, _>>()?;
    assert_eq!(batch_records.len(), 10);
    assert!(batch_records.iter().all(JobRecord::is_valid));
    println!(
        "  3. gathered {} jobs, every record queued before it started",
        batch_records.len()
    );
    Ok(())
}

async fn advanced_async_patterns() -> TourResult {
    println!("advanced patterns");

    // A TaskGroup: structured concurrency. The group ends only when every job it
    // spawned has; had one failed, the others would have been cancelled and the
    // group's error would list the failure.
    let tasks = weft::task_group(|tg| async move {
        (0..5)
            .map(|i| {
                // A child returns a `Result`: an `Err` fails the group.
                tg.spawn(async move {
                    Ok::<_, JobFailed>(start_job(format!("task_{i}"), DELAY_SMALL).await)
                })
            })
            .collect::<Vec<_>>()
    })
    .await?;
    // Every child has finished, so awaiting its task returns at once.
    let mut group_records = Vec::new();
    for task in tasks {
        group_records.push(task.await?);
    }
    assert!(group_records.iter().all(JobRecord::is_valid));
    println!(
        "  4. task group: {} jobs, all finished when the group did",
        group_records.len()
    );

    // A Semaphore limits concurrency: ten jobs, at most three inside at once.
    let semaphore = Arc::new(Semaphore::new(3));
    let limited_jobs = (0..10).map(|i| {
        let semaphore = semaphore.clone();
        async move {
            let _permit = semaphore.acquire().await?; // given back when dropped
            sleep(DELAY_SMALL).await;
            Ok::<_, weft::sync::AcquireError>(format!("completed_sem_{i}"))
        }
    });
    // try_gather: every value, or the first error (after cancelling the rest).
    let concurrent_results = weft::try_gather(limited_jobs).await?;
    assert_eq!(concurrent_results.len(), 10);
    assert!(concurrent_results
        .iter()
        .all(|r| r.starts_with("completed_")));
    println!(
        "  5. semaphore(3): {} jobs completed",
        concurrent_results.len()
    );

    // Errors from gathered jobs come back as values (asyncio's
    // `return_exceptions=True`): each result is the job's own `Result`, inside the
    // task's (which is an error only if the job panicked or was cancelled).
    let results = weft::gather_all(["job_1", "job_2", "job_3", "job_4"].map(failing_job)).await;
    let mut failures = Vec::new();
    for result in results {
        if let Err(err) = result? {
            failures.push(err.to_string());
        }
    }
    assert_eq!(failures.len(), 1);
    println!(
        "  6. gathered 4 jobs: 3 succeeded, 1 failed: {}",
        failures.join(", ")
    );

    // wait_for: a timeout drops the slow job and says so.
    async fn slow_job() -> &'static str {
        sleep(Duration::from_secs(1)).await;
        "slow_result"
    }
    let result = timeout(Duration::from_millis(100), slow_job()).await.ok();
    assert!(result.is_none());
    println!("  7. wait_for: the 1 s job timed out after 100 ms");

    // call_soon: schedule a plain function on the runtime. asyncio yields with
    // `sleep(0)` and counts on the one-thread loop having run it; on a multi-thread
    // runtime a yield promises nothing about the other workers, so the callback says
    // when it has run.
    let (done, callback_result) = oneshot::channel();
    weft::Handle::current().call_soon(move || {
        let _ = done.send("callback_executed");
    });
    println!("  8. call_soon: {}", callback_result.await?);

    // shield: the waiter is cancelled, the work it waited for is not.
    async fn important_task(disk_ready: Arc<Event>) -> &'static str {
        disk_ready.wait().await;
        sleep(DELAY_SMALL).await;
        "important_result"
    }
    let disk_ready = Arc::new(Event::new());
    let mut shielded = weft::shield(important_task(disk_ready.clone()));
    // The waiter gives up at once (asyncio's `shielded.cancel()`): a timeout cancels
    // the await it wraps. The work waits for the disk, so it cannot have finished yet.
    let waited = timeout(Duration::ZERO, &mut shielded).await;
    assert!(waited.is_err());
    disk_ready.set();
    // The work itself was never cancelled: it finishes, and its result is still there.
    let result = shielded.await?;
    assert_eq!(result, "important_result");
    println!("  9. shield: the waiter was cancelled, the shielded task returned {result:?}");
    Ok(())
}

fn main() -> TourResult {
    let start = std::time::Instant::now();
    // `weft::run` is asyncio.run: a multi-thread runtime for one future, shut down
    // after it (cancelling any task still running).
    weft::run(basic_async_patterns())?;
    weft::run(advanced_async_patterns())?;
    println!("tour finished in {:.0?}", start.elapsed());
    Ok(())
}
