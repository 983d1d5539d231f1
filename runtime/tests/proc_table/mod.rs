//! What the process tests read from `/proc`: this process's children (alive or
//! zombie) and its open descriptors.
//!
//! Each test file that uses it says `mod proc_table;`; not every file uses every item.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Far beyond what reaping takes on a loaded machine: only a child never reaped gets
/// near it.
pub(crate) const NEVER: Duration = Duration::from_secs(60);

/// One of our children: its pid and its state letter (`Z`: a zombie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChildEntry {
    pub(crate) pid: u32,
    pub(crate) state: char,
}

/// Every process whose parent is this one, alive or zombie.
pub(crate) fn children() -> Vec<ChildEntry> {
    let me = std::process::id();
    processes()
        .filter(|(_, stat)| stat.ppid == me)
        .map(|(pid, stat)| ChildEntry {
            pid,
            state: stat.state,
        })
        .collect()
}

/// The zombies among our children.
pub(crate) fn zombies() -> Vec<ChildEntry> {
    children().into_iter().filter(|c| c.state == 'Z').collect()
}

/// The processes of process group `group` that are not zombies.
pub(crate) fn living_in_group(group: u32) -> Vec<u32> {
    processes()
        .filter(|(_, stat)| stat.pgrp == group && stat.state != 'Z')
        .map(|(pid, _)| pid)
        .collect()
}

/// Whether `pid` is a child of ours, alive or zombie (not yet reaped).
pub(crate) fn is_our_child(pid: u32) -> bool {
    stat(pid).is_some_and(|stat| stat.ppid == std::process::id())
}

/// The command name of `pid` (`/proc/<pid>/comm`, kept while it is a zombie).
pub(crate) fn command_name(pid: u32) -> Option<String> {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(comm.trim_end().to_owned())
}

/// What `/proc/<pid>/stat` says of a process.
struct Stat {
    state: char,
    ppid: u32,
    pgrp: u32,
}

/// Every process there is, with its stat (those gone meanwhile skipped).
fn processes() -> impl Iterator<Item = (u32, Stat)> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?)))
}

/// The stat of `pid`; `None` if it is gone.
fn stat(pid: u32) -> Option<Stat> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ppid pgrp ...": the command may hold spaces and parentheses.
    let mut fields = stat[stat.rfind(')')? + 2..].split(' ');
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some(Stat { state, ppid, pgrp })
}

/// The number of descriptors this process has open.
pub(crate) fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Waits until `pid` is no child of ours any more (reaped), failing the test after
/// [`NEVER`]. Polls `/proc` — the only way to watch another party reap a process —
/// while the runtime runs its tasks (the reaper among them).
pub(crate) async fn reaped(pid: u32) {
    let start = Instant::now();
    while is_our_child(pid) {
        assert!(start.elapsed() < NEVER, "child {pid} was never reaped");
        weft::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits until no child of ours is left, as [`reaped`].
pub(crate) async fn no_children_left() {
    let start = Instant::now();
    loop {
        let left = children();
        if left.is_empty() {
            return;
        }
        assert!(start.elapsed() < NEVER, "never reaped: {left:?}");
        weft::time::sleep(Duration::from_millis(5)).await;
    }
}
