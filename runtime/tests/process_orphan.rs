//! Orphans — children nobody waits for any more — are reaped by the runtime: a
//! dropped `Child` once it exits, a child whose setup failed after the OS started
//! it, a child dropped after its runtime shut down.

mod proc_table;

use weft::io::AsyncReadExt;
use weft::net::RuntimeShutdown;
use weft::process::{Command, Stdio};

#[weft::test]
async fn a_dropped_child_is_reaped_once_it_exits() {
    // `read` waits for a line; dropping the Child closes its stdin, so it exits then.
    let child = Command::new("sh")
        .args(["-c", "read line"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    drop(child);
    proc_table::reaped(pid).await;
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_child_that_exits_later_is_reaped_then() {
    let (reader, writer) = std::os::unix::net::UnixStream::pair().unwrap();
    // The child exits when this side closes its end of the socket (EOF on stdin).
    let child = Command::new("sh")
        .args(["-c", "read line; echo bye"])
        .stdin(std::os::fd::OwnedFd::from(reader))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut stdout = {
        let mut child = child;
        child.stdout.take().unwrap()
    };
    assert!(
        proc_table::is_our_child(pid),
        "still running: not reaped yet"
    );
    drop(writer);
    let mut said = String::new();
    stdout.read_to_string(&mut said).await.unwrap();
    assert_eq!(said, "bye\n");
    proc_table::reaped(pid).await;
}

#[test]
fn a_child_whose_setup_fails_after_the_spawn_is_killed_and_reaped() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let handle = rt.handle().clone();
    drop(rt);
    // Spawning through the handle of a runtime that has shut down: the OS starts the
    // child, then its pipe cannot be registered with the dead reactor.
    let failed = {
        let _entered = handle.enter();
        Command::new("sleep")
            .arg("3600")
            .stdout(Stdio::piped())
            .spawn()
    };
    let err = failed.unwrap_err();
    assert!(RuntimeShutdown::is(&err), "{err}");
    // Killed; unless it died fast enough to be reaped on the spot, still a child of
    // ours (no other test here runs `sleep`).
    let orphaned: Vec<u32> = proc_table::children()
        .iter()
        .map(|c| c.pid)
        .filter(|&pid| proc_table::command_name(pid).as_deref() == Some("sleep"))
        .collect();
    assert!(orphaned.len() <= 1, "{orphaned:?}");

    // A new runtime's first spawn reaps it, or starts the reaper that will.
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        assert!(Command::new("true").status().await.unwrap().success());
        for pid in orphaned {
            proc_table::reaped(pid).await;
        }
    });
}

#[test]
fn a_child_dropped_after_its_runtime_shut_down_is_reaped_by_the_next_spawn() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let child = rt.block_on(async {
        Command::new("sh")
            .args(["-c", "read line"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap()
    });
    let pid = child.id().unwrap();
    drop(rt);
    drop(child); // stdin closes; the child exits; no runtime is left to reap it

    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        assert!(Command::new("true").status().await.unwrap().success());
        proc_table::reaped(pid).await;
    });
}
