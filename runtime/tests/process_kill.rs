//! `kill`, `start_kill`, `send_signal` and `kill_on_drop`: the child is gone, its
//! status says how, and it is reaped.

mod proc_table;

use std::os::unix::process::ExitStatusExt;
use weft::process::{Command, Stdio};
use weft::signal::unix::SignalKind;

fn sleeper() -> Command {
    let mut command = Command::new("sleep");
    command.arg("3600");
    command
}

#[weft::test]
async fn kill_ends_the_child_and_reaps_it() {
    let mut child = sleeper().spawn().unwrap();
    let pid = child.id().unwrap();
    child.kill().await.unwrap();
    assert_eq!(child.id(), None);
    assert!(!proc_table::is_our_child(pid), "killed but not reaped");
    let status = child.wait().await.unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
}

#[weft::test]
async fn start_kill_then_wait_reports_sigkill() {
    let mut child = sleeper().spawn().unwrap();
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    assert_eq!(status.code(), None);
}

#[weft::test]
async fn send_signal_delivers_the_signal_asked_for() {
    let mut child = sleeper().spawn().unwrap();
    child.send_signal(SignalKind::terminate()).unwrap();
    assert_eq!(child.wait().await.unwrap().signal(), Some(libc::SIGTERM));
}

#[weft::test]
async fn killing_a_child_already_waited_for_does_nothing() {
    let mut child = Command::new("true").spawn().unwrap();
    assert!(child.wait().await.unwrap().success());
    child.start_kill().unwrap();
    child.send_signal(SignalKind::terminate()).unwrap();
    child.kill().await.unwrap();
    assert!(child.wait().await.unwrap().success(), "the status changed");
}

#[weft::test]
async fn a_signal_number_that_is_no_signal_is_the_os_error() {
    let mut child = sleeper().kill_on_drop(true).spawn().unwrap();
    let err = child.send_signal(SignalKind::from_raw(1000)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    child.kill().await.unwrap();
}

#[weft::test]
async fn kill_on_drop_kills_the_child_and_reaps_it() {
    let child = sleeper()
        .kill_on_drop(true)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    drop(child);
    proc_table::reaped(pid).await;
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_on_drop_in_a_cancelled_task_kills_the_child() {
    let (pid_tx, pid_rx) = weft::sync::oneshot::channel();
    let task = weft::spawn(async move {
        let mut child = sleeper().kill_on_drop(true).spawn().unwrap();
        pid_tx.send(child.id().unwrap()).unwrap();
        child.wait().await
    });
    let pid = pid_rx.await.unwrap();
    task.cancel();
    assert!(task.await.unwrap_err().is_cancelled());
    proc_table::reaped(pid).await;
}
