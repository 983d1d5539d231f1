//! `communicate`, `wait_with_output` and `output`: ten megabytes each way at once
//! without a deadlock, both outputs at once, input a child does not read, and the
//! default standard streams of `output`.

use std::io;
use weft::process::{Command, Stdio};

const TEN_MB: usize = 10 * 1024 * 1024;

/// A pattern that catches reordered or dropped chunks, not only a wrong length.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabytes_in_and_out_of_cat_at_once_do_not_deadlock() {
    let input = pattern(TEN_MB);
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = child.communicate(Some(input.clone())).await.unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout.len(), TEN_MB);
    assert!(output.stdout == input, "the bytes came back changed");
    assert!(output.stderr.is_empty());
}

#[weft::test]
async fn ten_megabytes_on_stdout_and_stderr_together_are_both_read() {
    let script = format!("head -c {TEN_MB} /dev/zero; head -c {TEN_MB} /dev/zero >&2; exit 4");
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = child.communicate(None).await.unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(output.stdout.len(), TEN_MB);
    assert_eq!(output.stderr.len(), TEN_MB);
}

#[weft::test]
async fn ten_megabytes_of_input_are_all_delivered() {
    let mut child = Command::new("wc")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = child.communicate(Some(pattern(TEN_MB))).await.unwrap();
    let counted = String::from_utf8(output.stdout).unwrap();
    assert_eq!(counted.trim(), TEN_MB.to_string());
}

#[weft::test]
async fn input_the_child_never_reads_is_not_an_error() {
    let mut child = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let output = child.communicate(Some(pattern(TEN_MB))).await.unwrap();
    assert!(output.status.success());
}

#[weft::test]
async fn input_without_a_stdin_pipe_is_invalid_input() {
    let mut child = Command::new("true").spawn().unwrap();
    let err = child.communicate(Some(b"lost".to_vec())).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("Stdio::piped"), "{err}");
    assert!(child.wait().await.unwrap().success());
}

#[weft::test]
async fn communicate_closes_stdin_so_a_reader_finishes() {
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = child.communicate(None).await.unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}

#[weft::test]
async fn wait_with_output_reads_both_streams() {
    let child = Command::new("sh")
        .args(["-c", "echo out; echo err >&2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = child.wait_with_output().await.unwrap();
    assert_eq!(output.stdout, b"out\n");
    assert_eq!(output.stderr, b"err\n");
}

#[weft::test]
async fn output_pipes_stdout_and_stderr_and_gives_an_empty_stdin() {
    // `cat` would wait forever on an inherited stdin; `output` gives it /dev/null.
    let output = Command::new("sh")
        .args(["-c", "cat; echo done; echo oops >&2"])
        .output()
        .await
        .unwrap();
    assert_eq!(output.stdout, b"done\n");
    assert_eq!(output.stderr, b"oops\n");
}

#[weft::test]
async fn output_keeps_a_stream_the_caller_set() {
    let output = Command::new("echo")
        .arg("discarded")
        .stdout(Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}

#[weft::test]
async fn output_leaves_the_command_spawning_with_the_std_defaults() {
    let mut command = Command::new("true");
    command.output().await.unwrap();
    let child = command.spawn().unwrap();
    assert!(
        child.stdout.is_none(),
        "output's pipe leaked into a later spawn"
    );
    assert!(child.stdin.is_none());
    drop(child);
}
