//! `start_paused` reaches `Builder::start_paused` on the current-thread flavor, on
//! `main` (allowed there, as in tokio) as on tests.
#![deny(warnings)]

#[weft::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = weft::time::Instant::now();
    weft::time::sleep(std::time::Duration::from_secs(3600)).await;
    assert_eq!(start.elapsed(), std::time::Duration::from_secs(3600));
    assert_eq!(weft::spawn(async { 7 }).await.unwrap(), 7);
}

#[weft::test(start_paused = false)]
async fn paused_test() {}
