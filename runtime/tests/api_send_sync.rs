//! Which of weft's public types cross threads, checked at compile time: every public
//! type is `Send`, `Sync`, or neither on purpose, and every future a public async fn
//! returns is `Send`, so it can be spawned. (tokio keeps `tests/async_send_sync.rs` for
//! the same.)
//!
//! The claims are `static_assertions`' (`assert_impl_all!`, `assert_not_impl_any!`):
//! the file does not compile if one is false. The errors users see for what must not
//! compile — a `!Send` future passed to `weft::spawn`, an `EnterGuard` sent to another
//! thread — are pinned by `api_send_sync_ui.rs`. The types of `weft::sync` are checked in weft-rt-sync's own
//! `tests/api_send_sync.rs`, those of `weft::net` and `weft::io` in weft-rt-io's.
//!
//! The functions that build futures are compiled, never run: the type checker is the
//! test.

use static_assertions::{assert_impl_all, assert_not_impl_any};
use std::cell::Cell;
use std::future::{Future, Ready};
use std::rc::Rc;
use std::time::Duration;
use weft::combinator::{JoinAll, SelectAll};
use weft::fs::{DirEntry, File, OpenOptions, ReadDir};
use weft::net::{Server, UnixServer};
use weft::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};
use weft::runtime::{
    CallHandle, EnterGuard, PollTimeHistogram, RuntimeMetrics, TryCurrentError, WorkerMetrics,
};
use weft::signal::unix::{Signal, SignalKind};
use weft::structured::{
    AsCompleted, AsCompletedWithin, Gather, GatherAll, GroupClosed, GroupError, GroupFailure,
    GroupFuture, Shield, TryGather, TryGatherError, Wait, WaitError,
};
use weft::task::{
    Cancellable, ContextVar, ContextVarToken, CurrentTask, DoneCallbackId, Report, TaskDone,
    TaskId, TaskInfo, TaskOutcome, TaskState, YieldNow,
};
use weft::time::{AdvanceError, Elapsed, Instant, Interval, MissedTickBehavior, Sleep, Timeout};
use weft::{Builder, Cancelled, Handle, ReturnWhen, Runtime, Task, TaskError, TaskGroup};

fn future_is_send<F: Future + Send>(_: F) {}

/// A future that is `Send` and `Sync`, to fill the generic parameters of wrappers.
type SendFuture = Ready<u8>;
/// A future that is neither.
type LocalFuture = Ready<Rc<u8>>;

// Runtimes, handles and builders.
assert_impl_all!(Runtime: Send, Sync);
assert_impl_all!(Handle: Send, Sync);
assert_impl_all!(Builder: Send, Sync);
assert_impl_all!(TryCurrentError: Send, Sync);
assert_impl_all!(RuntimeMetrics: Send, Sync);
assert_impl_all!(WorkerMetrics: Send, Sync);
assert_impl_all!(PollTimeHistogram: Send, Sync);
assert_impl_all!(CallHandle: Send, Sync);
// An enter guard makes a runtime current on *this* thread and restores the thread's
// previous context when dropped: it stays where it was made.
assert_not_impl_any!(EnterGuard: Send, Sync);

// Tasks and what they report. `&Task<T>` never reaches a `T`, so a `Task` of a `!Sync`
// output is still `Sync`; one of a `!Send` output is neither.
assert_impl_all!(Task<u8>: Send, Sync);
assert_impl_all!(Task<Cell<u8>>: Send, Sync);
assert_not_impl_any!(Task<Rc<u8>>: Send, Sync);
assert_impl_all!(TaskError: Send, Sync);
assert_impl_all!(Cancelled: Send, Sync);
assert_impl_all!(TaskId: Send, Sync);
assert_impl_all!(TaskInfo: Send, Sync);
assert_impl_all!(TaskState: Send, Sync);
assert_impl_all!(TaskOutcome: Send, Sync);
assert_impl_all!(TaskDone: Send, Sync);
assert_impl_all!(DoneCallbackId: Send, Sync);
assert_impl_all!(Report: Send, Sync);
assert_impl_all!(CurrentTask: Send, Sync);
assert_impl_all!(weft::task::Builder: Send, Sync);
assert_impl_all!(ContextVar<u8>: Send, Sync);
assert_impl_all!(ContextVarToken<u8>: Send, Sync);
assert_impl_all!(YieldNow: Send, Sync);

// Structured concurrency. A `TaskGroup` is shared by reference with its children.
assert_impl_all!(TaskGroup: Send, Sync);
assert_impl_all!(GroupError: Send, Sync);
assert_impl_all!(GroupFailure: Send, Sync);
assert_impl_all!(GroupClosed<SendFuture>: Send, Sync);
assert_impl_all!(ReturnWhen: Send, Sync);
assert_impl_all!(WaitError: Send, Sync);
assert_impl_all!(Wait<u8>: Send, Sync);
assert_impl_all!(Shield<u8>: Send, Sync);
assert_impl_all!(AsCompleted<u8>: Send, Sync);
assert_impl_all!(AsCompletedWithin<u8>: Send, Sync);
assert_impl_all!(Gather<(Task<u8>, Task<String>)>: Send, Sync);
assert_impl_all!(GatherAll<u8>: Send, Sync);
assert_impl_all!(TryGather<u8, std::io::Error>: Send, Sync);
assert_impl_all!(TryGatherError<std::io::Error>: Send, Sync);

// Wrappers are `Send` exactly when what they wrap is.
assert_impl_all!(Cancellable<SendFuture>: Send, Sync);
assert_impl_all!(Timeout<SendFuture>: Send, Sync);
assert_impl_all!(JoinAll<SendFuture>: Send, Sync);
assert_impl_all!(SelectAll<SendFuture>: Send, Sync);
assert_impl_all!(GroupFuture<fn(TaskGroup) -> SendFuture, SendFuture>: Send);
assert_not_impl_any!(Cancellable<LocalFuture>: Send, Sync);
assert_not_impl_any!(Timeout<LocalFuture>: Send, Sync);
assert_not_impl_any!(JoinAll<LocalFuture>: Send, Sync);
assert_not_impl_any!(SelectAll<LocalFuture>: Send, Sync);
assert_not_impl_any!(GroupFuture<fn(TaskGroup) -> LocalFuture, LocalFuture>: Send);

// Timers.
assert_impl_all!(Sleep: Send, Sync);
assert_impl_all!(Interval: Send, Sync);
assert_impl_all!(Instant: Send, Sync);
assert_impl_all!(MissedTickBehavior: Send, Sync);
assert_impl_all!(Elapsed: Send, Sync);
assert_impl_all!(AdvanceError: Send, Sync);

// Files, processes, signals, servers.
assert_impl_all!(File: Send, Sync);
assert_impl_all!(OpenOptions: Send, Sync);
assert_impl_all!(ReadDir: Send, Sync);
assert_impl_all!(DirEntry: Send, Sync);
assert_impl_all!(Command: Send, Sync);
assert_impl_all!(Child: Send, Sync);
assert_impl_all!(ChildStdin: Send, Sync);
assert_impl_all!(ChildStdout: Send, Sync);
assert_impl_all!(ChildStderr: Send, Sync);
assert_impl_all!(Signal: Send, Sync);
assert_impl_all!(SignalKind: Send, Sync);
assert_impl_all!(Server: Send, Sync);
assert_impl_all!(UnixServer: Send, Sync);
assert_impl_all!(weft::net::tls::TlsAcceptor: Send, Sync);
assert_impl_all!(weft::net::tls::TlsConnector: Send, Sync);

/// The futures of weft's own async fns and future-returning fns.
#[allow(dead_code)]
fn runtime_and_task_futures_are_send(
    task: Task<u8>,
    group: &TaskGroup,
    server: &Server,
    tasks: Vec<Task<u8>>,
) {
    future_is_send(task);
    future_is_send(weft::yield_now());
    future_is_send(weft::task::cancellable(async {}));
    future_is_send(weft::shield(async {}));
    future_is_send(weft::gather!(async { 1 }, async { "two" }));
    future_is_send(weft::gather_all(vec![async { 1 }]));
    future_is_send(weft::try_gather(vec![async { Ok::<_, TaskError>(1) }]));
    future_is_send(weft::wait(tasks, ReturnWhen::AllCompleted));
    future_is_send(weft::task_group(|group| async move {
        group.spawn(async {});
    }));
    future_is_send(group.spawn(async {}));
    future_is_send(weft::join_all(vec![async { 1 }]));
    future_is_send(weft::select_all(vec![Box::pin(async { 1 })]));
    future_is_send(server.wait_closed());
    future_is_send(weft::net::start_server(
        "127.0.0.1:0",
        |_reader, _writer| async { Ok(()) },
    ));
    future_is_send(weft::net::start_unix_server(
        "/tmp/s",
        |_reader, _writer| async { Ok(()) },
    ));
}

#[allow(dead_code)]
fn structured_futures_are_send(
    completed: &mut AsCompleted<u8>,
    within: &mut AsCompletedWithin<u8>,
) {
    future_is_send(completed.next_completed());
    future_is_send(within.next_completed());
}

#[allow(dead_code)]
fn time_futures_are_send(interval: &mut Interval) {
    future_is_send(weft::time::sleep(Duration::from_secs(1)));
    future_is_send(weft::time::sleep_until(Instant::now()));
    future_is_send(weft::time::timeout(Duration::from_secs(1), async {}));
    future_is_send(weft::time::timeout_at(None, async {}));
    future_is_send(weft::time::advance(Duration::from_secs(1)));
    future_is_send(interval.tick());
}

#[allow(dead_code)]
fn fs_futures_are_send(
    file: &mut File,
    options: &OpenOptions,
    dir: &mut ReadDir,
    entry: &DirEntry,
) {
    future_is_send(weft::fs::read("p"));
    future_is_send(weft::fs::read_to_string("p"));
    future_is_send(weft::fs::write("p", b"x"));
    future_is_send(weft::fs::copy("p", "q"));
    future_is_send(weft::fs::rename("p", "q"));
    future_is_send(weft::fs::remove_file("p"));
    future_is_send(weft::fs::remove_dir("p"));
    future_is_send(weft::fs::remove_dir_all("p"));
    future_is_send(weft::fs::create_dir("p"));
    future_is_send(weft::fs::create_dir_all("p"));
    future_is_send(weft::fs::metadata("p"));
    future_is_send(weft::fs::symlink_metadata("p"));
    future_is_send(weft::fs::try_exists("p"));
    future_is_send(weft::fs::canonicalize("p"));
    future_is_send(weft::fs::hard_link("p", "q"));
    future_is_send(weft::fs::read_link("p"));
    future_is_send(weft::fs::set_permissions(
        "p",
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    ));
    future_is_send(weft::fs::read_dir("p"));
    future_is_send(File::open("p"));
    future_is_send(File::create("p"));
    future_is_send(File::create_new("p"));
    future_is_send(options.open("p"));
    future_is_send(file.sync_all());
    future_is_send(file.sync_data());
    future_is_send(file.set_len(0));
    future_is_send(file.metadata());
    future_is_send(file.try_clone());
    future_is_send(weft::io::AsyncSeekExt::seek(
        file,
        std::io::SeekFrom::Start(0),
    ));
    future_is_send(dir.next_entry());
    future_is_send(entry.metadata());
    future_is_send(entry.file_type());
}

#[allow(dead_code)]
fn fs_into_std_is_send(file: File) {
    future_is_send(file.into_std());
}

#[allow(dead_code)]
fn process_and_signal_futures_are_send(
    command: &mut Command,
    child: &mut Child,
    owned_child: Child,
    signal: &mut Signal,
) {
    future_is_send(command.status());
    future_is_send(command.output());
    future_is_send(child.wait());
    future_is_send(child.kill());
    future_is_send(child.communicate(None));
    future_is_send(owned_child.wait_with_output());
    future_is_send(weft::signal::ctrl_c());
    future_is_send(signal.recv());
}
