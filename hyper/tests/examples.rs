//! The seeds' programs, ported as `fetch` and `download`, run against a local
//! weft-rt-hyper server (the examples take its URL as an argument; here the test
//! calls what their `main` calls, with the URLs of a server it started).

mod support;

#[allow(dead_code)]
#[path = "../examples/fetch.rs"]
mod fetch;

#[allow(dead_code)]
#[path = "../examples/download.rs"]
mod download;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use support::{start, url, FILES};

/// A fresh, empty folder under the system's temporary directory, removed on drop.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new() -> TempFolder {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "weft-hyper-download-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, SeqCst)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempFolder(path)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_gets_every_page_as_text_in_order() {
    let server = start().await;
    let urls = vec![url(&server, "/"), url(&server, "/files/bravo.txt")];
    let pages = fetch::fetch_all(urls).await.unwrap();
    assert_eq!(pages, ["hello", "second file\n"]);
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_fails_with_the_missing_page_named() {
    let server = start().await;
    let missing = url(&server, "/files/missing.txt");
    let urls = vec![url(&server, "/"), missing.clone()];
    let err = fetch::fetch_all(urls).await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&missing), "{message}");
    assert!(message.contains("404 Not Found"), "{message}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_writes_every_file_into_the_folder() {
    let server = start().await;
    let folder = TempFolder::new();
    let urls: Vec<String> = FILES
        .iter()
        .map(|(name, _)| url(&server, &format!("/files/{name}")))
        .collect();
    let paths = download::download_all(urls, folder.0.clone())
        .await
        .unwrap();
    assert_eq!(paths.len(), FILES.len());
    for ((name, contents), path) in FILES.iter().zip(&paths) {
        assert_eq!(path, &folder.0.join(name));
        assert_eq!(std::fs::read_to_string(path).unwrap(), *contents);
    }
    // One client: its pool keeps a connection per request in flight at once, at most.
    assert!(server.stats().accepted() <= FILES.len() as u64);
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_url_fails_the_download_group_with_the_error_named() {
    let server = start().await;
    let folder = TempFolder::new();
    let urls = vec![
        url(&server, "/files/alpha.txt"),
        "http//missing-colon/file.txt".to_owned(),
        url(&server, "/files/bravo.txt"),
    ];
    let err = download::download_all(urls, folder.0.clone())
        .await
        .unwrap_err();
    assert_eq!(err.failures().len(), 1, "{err}");
    let failure = err.failures()[0].error().expect("an error, not a panic");
    let http = failure
        .downcast_ref::<weft_hyper::Error>()
        .expect("weft_hyper's error");
    assert!(
        matches!(http, weft_hyper::Error::InvalidUrl { .. }),
        "{http}"
    );
    assert!(
        err.to_string()
            .contains("invalid URL \"http//missing-colon/file.txt\""),
        "{err}"
    );
}

#[test]
fn every_example_is_run_by_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| Some(entry.ok()?.path().file_stem()?.to_str()?.to_owned()))
        .collect();
    found.sort();
    // axum: tests/axum_router.rs; fetch and download: this file.
    assert_eq!(found, ["axum", "download", "fetch"]);
}
