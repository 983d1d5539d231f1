//! `weft::fs::read_dir` and the whole-file and name helpers: what each does, and its
//! errors.

mod support;

use futures_core::Stream;
use std::collections::BTreeSet;
use std::future::poll_fn;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::pin::Pin;
use support::{poll_once, poll_outside_runtime, ScratchDir};
use weft::fs;

/// Every name `read_dir` lists in `dir`, through `next_entry`.
async fn names_by_next_entry(dir: &std::path::Path) -> Vec<String> {
    let mut entries = fs::read_dir(dir).await.unwrap();
    let mut names = Vec::new();
    while let Some(entry) = entries.next_entry().await.unwrap() {
        names.push(entry.file_name().into_string().unwrap());
    }
    names
}

#[weft::test]
async fn read_dir_of_10_000_entries_lists_each_exactly_once() {
    let dir = ScratchDir::new("fs-read-dir-10k");
    let expected: BTreeSet<String> = (0..10_000).map(|i| format!("entry-{i:05}")).collect();
    for name in &expected {
        std::fs::File::create(dir.join(name)).unwrap();
    }
    let names = names_by_next_entry(dir.path()).await;
    assert_eq!(names.len(), 10_000, "no entry listed twice");
    assert_eq!(names.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[weft::test]
async fn read_dir_is_a_stream_of_entries_with_their_file_types() {
    let dir = ScratchDir::new("fs-read-dir-stream");
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("file"), "x").unwrap();
    std::os::unix::fs::symlink("file", dir.join("link")).unwrap();
    let mut entries = fs::read_dir(dir.path()).await.unwrap();
    let mut kinds = Vec::new();
    while let Some(entry) = poll_fn(|cx| Pin::new(&mut entries).poll_next(cx)).await {
        let entry = entry.unwrap();
        let kind = entry.file_type().await.unwrap();
        let metadata = entry.metadata().await.unwrap();
        assert_eq!(kind, metadata.file_type());
        assert_eq!(entry.ino(), metadata.ino());
        assert_eq!(entry.path(), dir.join(entry.file_name().to_str().unwrap()));
        let name = entry.file_name().into_string().unwrap();
        kinds.push((name, kind.is_dir(), kind.is_file(), kind.is_symlink()));
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("file".to_owned(), false, true, false),
            ("link".to_owned(), false, false, true),
            ("sub".to_owned(), true, false, false),
        ]
    );
    // The stream stays ended.
    assert!(poll_fn(|cx| Pin::new(&mut entries).poll_next(cx))
        .await
        .is_none());
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_entry_futures_dropped_while_a_batch_is_read_lose_no_entry() {
    let dir = ScratchDir::new("fs-read-dir-dropped");
    for i in 0..1000 {
        std::fs::File::create(dir.join(&format!("e{i}"))).unwrap();
    }
    let mut entries = fs::read_dir(dir.path()).await.unwrap();
    let mut names = BTreeSet::new();
    let mut dropped = 0;
    loop {
        match poll_once(Box::pin(entries.next_entry())).await {
            Some(Ok(Some(entry))) => assert!(names.insert(entry.file_name())),
            Some(Ok(None)) => break,
            Some(Err(err)) => panic!("{err}"),
            None => dropped += 1,
        }
        if dropped % 2 == 1 {
            weft::yield_now().await;
        }
    }
    assert_eq!(names.len(), 1000);
}

#[weft::test]
async fn read_dir_of_a_missing_directory_or_a_file_fails() {
    let dir = ScratchDir::new("fs-read-dir-errors");
    let err = fs::read_dir(dir.join("missing")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    std::fs::write(dir.join("file"), "x").unwrap();
    let err = fs::read_dir(dir.join("file")).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTDIR));
}

#[weft::test]
async fn write_then_read_and_read_to_string_round_trip() {
    let dir = ScratchDir::new("fs-contents");
    fs::write(dir.join("f"), b"bytes\n").await.unwrap();
    assert_eq!(fs::read(dir.join("f")).await.unwrap(), b"bytes\n");
    fs::write(dir.join("f"), "text").await.unwrap(); // truncates first
    assert_eq!(fs::read_to_string(dir.join("f")).await.unwrap(), "text");
}

#[weft::test]
async fn read_to_string_of_bytes_that_are_not_utf8_is_invalid_data() {
    let dir = ScratchDir::new("fs-not-utf8");
    fs::write(dir.join("f"), [0xff, 0xfe]).await.unwrap();
    let err = fs::read_to_string(dir.join("f")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
}

#[weft::test]
async fn copy_returns_the_length_and_duplicates_contents_and_permissions() {
    let dir = ScratchDir::new("fs-copy");
    fs::write(dir.join("a"), vec![7; 100_000]).await.unwrap();
    fs::set_permissions(dir.join("a"), std::fs::Permissions::from_mode(0o640))
        .await
        .unwrap();
    fs::write(dir.join("b"), "old, longer contents than nothing")
        .await
        .unwrap();
    assert_eq!(
        fs::copy(dir.join("a"), dir.join("b")).await.unwrap(),
        100_000
    );
    assert_eq!(fs::read(dir.join("b")).await.unwrap(), vec![7; 100_000]);
    let mode = fs::metadata(dir.join("b"))
        .await
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let err = fs::copy(dir.join("missing"), dir.join("c"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
}

#[weft::test]
async fn rename_moves_and_replaces() {
    let dir = ScratchDir::new("fs-rename");
    fs::write(dir.join("a"), "new").await.unwrap();
    fs::write(dir.join("b"), "old").await.unwrap();
    fs::rename(dir.join("a"), dir.join("b")).await.unwrap();
    assert!(!fs::try_exists(dir.join("a")).await.unwrap());
    assert_eq!(fs::read_to_string(dir.join("b")).await.unwrap(), "new");
    let err = fs::rename(dir.join("a"), dir.join("c")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
}

#[weft::test]
async fn remove_file_and_remove_dir_remove_only_their_kind() {
    let dir = ScratchDir::new("fs-remove");
    fs::create_dir(dir.join("d")).await.unwrap();
    fs::write(dir.join("d/f"), "x").await.unwrap();
    let err = fs::remove_dir(dir.join("d")).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTEMPTY));
    let err = fs::remove_file(dir.join("d")).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EISDIR));
    fs::remove_file(dir.join("d/f")).await.unwrap();
    fs::remove_dir(dir.join("d")).await.unwrap();
    assert!(!fs::try_exists(dir.join("d")).await.unwrap());
    let err = fs::remove_file(dir.join("d")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
}

#[weft::test]
async fn create_dir_all_makes_parents_and_remove_dir_all_removes_the_tree() {
    let dir = ScratchDir::new("fs-tree");
    let deep = dir.join("a/b/c");
    let err = fs::create_dir(&deep).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    fs::create_dir_all(&deep).await.unwrap();
    fs::create_dir_all(&deep).await.unwrap(); // already there: fine
    let err = fs::create_dir(&deep).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    fs::write(deep.join("f"), "x").await.unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.join("a/b/up")).unwrap();
    fs::remove_dir_all(dir.join("a")).await.unwrap();
    assert!(!fs::try_exists(dir.join("a")).await.unwrap());
    assert!(
        fs::try_exists(dir.path()).await.unwrap(),
        "the link was not followed"
    );
}

#[weft::test]
async fn metadata_follows_links_and_symlink_metadata_does_not() {
    let dir = ScratchDir::new("fs-metadata-links");
    fs::write(dir.join("target"), "12345").await.unwrap();
    std::os::unix::fs::symlink("target", dir.join("link")).unwrap();
    let followed = fs::metadata(dir.join("link")).await.unwrap();
    assert!(followed.is_file());
    assert_eq!(followed.len(), 5);
    let own = fs::symlink_metadata(dir.join("link")).await.unwrap();
    assert!(own.file_type().is_symlink());
    assert_eq!(
        fs::read_link(dir.join("link")).await.unwrap(),
        std::path::Path::new("target")
    );
    let err = fs::read_link(dir.join("target")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

#[weft::test]
async fn try_exists_says_false_for_a_dangling_link_and_canonicalize_resolves_it_all() {
    let dir = ScratchDir::new("fs-exists");
    std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
    assert!(!fs::try_exists(dir.join("dangling")).await.unwrap());
    let err = fs::canonicalize(dir.join("dangling")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);

    fs::create_dir(dir.join("real")).await.unwrap();
    std::os::unix::fs::symlink("real", dir.join("alias")).unwrap();
    let resolved = fs::canonicalize(dir.join("alias/../alias/."))
        .await
        .unwrap();
    let expected = std::fs::canonicalize(dir.join("real")).unwrap();
    assert_eq!(resolved, expected);
}

#[weft::test]
async fn hard_link_gives_the_same_file_a_second_name() {
    let dir = ScratchDir::new("fs-hard-link");
    fs::write(dir.join("a"), "shared").await.unwrap();
    fs::hard_link(dir.join("a"), dir.join("b")).await.unwrap();
    let (a, b) = (
        fs::metadata(dir.join("a")).await.unwrap(),
        fs::metadata(dir.join("b")).await.unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    let err = fs::hard_link(dir.join("a"), dir.join("b"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
}

#[weft::test]
async fn set_permissions_changes_the_mode() {
    let dir = ScratchDir::new("fs-chmod");
    fs::write(dir.join("f"), "x").await.unwrap();
    fs::set_permissions(dir.join("f"), std::fs::Permissions::from_mode(0o600))
        .await
        .unwrap();
    let mode = fs::metadata(dir.join("f"))
        .await
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let err = fs::set_permissions(dir.join("missing"), std::fs::Permissions::from_mode(0o600))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
}

#[weft::test]
async fn try_exists_is_an_error_when_a_directory_on_the_way_may_not_be_searched() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root, which may search any directory");
        return;
    }
    let dir = ScratchDir::new("fs-exists-denied");
    fs::create_dir(dir.join("locked")).await.unwrap();
    fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000))
        .await
        .unwrap();
    let err = fs::try_exists(dir.join("locked/f")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
    fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o700))
        .await
        .unwrap();
}

#[test]
fn the_helpers_outside_a_runtime_fail_with_an_error_not_a_panic() {
    let err = poll_outside_runtime(fs::read("/dev/null"))
        .expect("ready at once")
        .unwrap_err();
    assert!(err.to_string().contains("no weft runtime"), "{err}");
    let err = poll_outside_runtime(fs::read_dir("/"))
        .expect("ready at once")
        .unwrap_err();
    assert!(err.to_string().contains("no weft runtime"), "{err}");
}

#[test]
fn read_dir_and_its_entries_can_cross_threads() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let mut entries = fs::read_dir("/").await.unwrap();
        send(&fs::read_dir("/"));
        send(&entries.next_entry());
        let entry = entries.next_entry().await.unwrap().unwrap();
        send(&entry.metadata());
        send_sync(&entries);
        send_sync(&entry);
        send(&fs::write("/dev/null", "x"));
    });
}
