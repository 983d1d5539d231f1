//! `Command`: program lookup errors, arguments, environment and directory reach the
//! child, piping one child into another, process groups, reading output line by
//! line, and spawning outside a runtime.

use std::io;
use weft::io::{AsyncWriteExt, BufReader};
use weft::process::{Command, Stdio};

async fn stdout_of(command: &mut Command) -> String {
    let output = command.output().await.unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[weft::test]
async fn a_missing_program_is_not_found() {
    for program in ["weft-no-such-program", "/no/such/dir/program"] {
        let err = Command::new(program).spawn().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{program}: {err}");
    }
}

#[weft::test]
async fn a_program_that_is_not_executable_is_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::temp_dir().join(format!("weft-not-executable-{}", std::process::id()));
    std::fs::write(&path, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Command::new(&path).spawn().unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied, "{err}");
}

#[weft::test]
async fn arguments_reach_the_child_unsplit() {
    let out = stdout_of(Command::new("printf").args(["%s|", "a b", "c"]).arg("d e")).await;
    assert_eq!(out, "a b|c|d e|");
}

#[weft::test]
async fn the_environment_is_set_removed_and_cleared() {
    let out = stdout_of(
        Command::new("sh")
            .args(["-c", "echo \"$ONE $TWO ${HOME:-nohome}\""])
            .env("ONE", "1")
            .envs([("TWO", "2")])
            .env_remove("HOME"),
    )
    .await;
    assert_eq!(out, "1 2 nohome\n");
    let out = stdout_of(Command::new("/usr/bin/env").env_clear().env("ONLY", "this")).await;
    assert_eq!(out, "ONLY=this\n");
}

#[weft::test]
async fn the_working_directory_is_set() {
    let dir = std::env::temp_dir().canonicalize().unwrap();
    let out = stdout_of(Command::new("pwd").current_dir(&dir)).await;
    assert_eq!(out.trim_end(), dir.to_str().unwrap());
}

#[weft::test]
async fn a_shell_line_runs_through_sh_c() {
    // asyncio's create_subprocess_shell.
    let out = stdout_of(Command::new("sh").arg("-c").arg("echo one two | wc -w")).await;
    assert_eq!(out.trim(), "2");
}

#[weft::test]
async fn one_childs_stdout_pipes_into_anothers_stdin() {
    let mut producer = Command::new("printf")
        .arg("a\nb\nc\n")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = Stdio::try_from(producer.stdout.take().unwrap()).unwrap();
    let out = stdout_of(Command::new("wc").arg("-l").stdin(pipe)).await;
    assert_eq!(out.trim(), "3");
    assert!(producer.wait().await.unwrap().success());
}

#[weft::test]
async fn output_streams_line_by_line_while_the_child_runs() {
    let mut child = Command::new("sh")
        .args(["-c", "echo first; read go; echo second"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    lines.read_line(&mut line).await.unwrap();
    // The first line arrived while the child still waits for its go.
    assert_eq!(line, "first\n");
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"go\n")
        .await
        .unwrap();
    line.clear();
    lines.read_line(&mut line).await.unwrap();
    assert_eq!(line, "second\n");
    assert!(child.wait().await.unwrap().success());
}

#[weft::test]
async fn a_new_process_group_is_led_by_the_child() {
    let mut child = Command::new("sh")
        .args(["-c", "ps -o pgid= -p $$"])
        .process_group(0)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let output = child.communicate(None).await.unwrap();
    let pgid: u32 = String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(pgid, pid);
}

#[weft::test]
async fn closing_stdin_gives_the_child_end_of_file() {
    let mut child = Command::new("wc")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"12345").await.unwrap();
    stdin.close().await.unwrap();
    let err = stdin.write_all(b"more").await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    let output = child.wait_with_output().await.unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "5");
}

#[test]
fn spawning_outside_a_runtime_is_an_error_and_starts_nothing() {
    let err = Command::new("true").spawn().unwrap_err();
    assert!(err.to_string().contains("outside a weft runtime"), "{err}");
}

#[test]
fn the_public_types_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<weft::process::Command>();
    send_sync::<weft::process::Child>();
    send_sync::<weft::process::ChildStdin>();
    send_sync::<weft::process::ChildStdout>();
    send_sync::<weft::process::ChildStderr>();
    fn future_is_send<F: std::future::Future + Send>(_: F) {}
    let mut command = Command::new("true");
    future_is_send(command.output());
    future_is_send(command.status());
    let child: Option<weft::process::Child> = None;
    if let Some(mut child) = child {
        future_is_send(child.wait());
        future_is_send(child.communicate(None));
        future_is_send(child.kill());
    }
}
