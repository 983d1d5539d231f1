//! `wait` and `try_wait`: exit codes and signals in the status, a timeout around a
//! wait, a wait resumed after a cancelled one, stdin closed by `wait`.

mod proc_table;

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;
use weft::process::{Command, Stdio};

fn shell(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

#[weft::test]
async fn the_exit_code_is_in_the_status() {
    for code in [0, 1, 7, 255] {
        let status = shell(&format!("exit {code}")).status().await.unwrap();
        assert_eq!(status.code(), Some(code));
        assert_eq!(status.success(), code == 0);
    }
}

#[weft::test]
async fn a_signal_that_ended_the_child_is_in_the_status() {
    let status = shell("kill -USR1 $$").status().await.unwrap();
    assert_eq!(status.code(), None);
    assert_eq!(status.signal(), Some(libc::SIGUSR1));
}

#[weft::test]
async fn a_timeout_around_wait_elapses_and_the_child_can_still_be_waited_for() {
    let mut child = Command::new("sleep").arg("3600").spawn().unwrap();
    let waited = weft::time::timeout(Duration::from_millis(50), child.wait()).await;
    assert!(waited.is_err(), "a sleeping child exited");
    assert!(child.id().is_some());
    child.start_kill().unwrap();
    let status = weft::time::timeout(proc_table::NEVER, child.wait()).await;
    assert_eq!(status.unwrap().unwrap().signal(), Some(libc::SIGKILL));
}

#[weft::test]
async fn a_timeout_around_a_short_child_returns_its_status() {
    let mut child = Command::new("true").spawn().unwrap();
    let status = weft::time::timeout(proc_table::NEVER, child.wait()).await;
    assert!(status.unwrap().unwrap().success());
}

#[weft::test]
async fn try_wait_is_none_while_running_then_the_status() {
    let mut child = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
    assert_eq!(child.try_wait().unwrap(), None);
    drop(child.stdin.take()); // cat reads EOF and exits
    let status = child.wait().await.unwrap();
    assert_eq!(child.try_wait().unwrap(), Some(status));
}

#[weft::test]
async fn wait_closes_stdin_so_a_child_reading_it_exits() {
    let mut child = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
    let status = weft::time::timeout(proc_table::NEVER, child.wait()).await;
    assert!(status.unwrap().unwrap().success());
    assert!(child.stdin.is_none());
}

#[weft::test]
async fn after_wait_the_pid_is_forgotten_and_the_status_kept() {
    let mut child = shell("exit 5").spawn().unwrap();
    let pid = child.id().unwrap();
    assert_eq!(child.wait().await.unwrap().code(), Some(5));
    assert_eq!(child.id(), None);
    assert!(!proc_table::is_our_child(pid), "waited for but not reaped");
    assert_eq!(child.wait().await.unwrap().code(), Some(5));
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_children_waited_for_at_once_each_get_their_own_status() {
    let tasks: Vec<_> = (0..32)
        .map(|code| {
            weft::spawn(async move {
                let status = shell(&format!("exit {code}")).status().await.unwrap();
                assert_eq!(status.code(), Some(code));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}
