//! `#[weft::main]` and `#[weft::test]` at run time: each option builds the runtime it
//! names, and the body's output and attributes come through.

use std::thread;

#[weft::test]
async fn test_default_flavor_runs_tasks_on_the_test_thread() {
    let here = thread::current().id();
    let there = weft::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(here, there);
    assert_eq!(weft::Handle::current().metrics().num_workers(), 1);
}

#[weft::test(flavor = "current_thread")]
async fn current_thread_flavor_runs_tasks_on_the_test_thread() {
    let here = thread::current().id();
    let there = weft::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(here, there);
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_thread_flavor_runs_tasks_on_its_worker_threads() {
    let here = thread::current().id();
    let (there, name) = weft::spawn(async {
        let current = thread::current();
        (current.id(), current.name().map(str::to_owned))
    })
    .await
    .unwrap();
    assert_ne!(here, there);
    assert_eq!(name.as_deref(), Some("weft-worker"));
    assert_eq!(weft::Handle::current().metrics().num_workers(), 2);
}

#[weft::test]
async fn test_returning_result_passes_on_ok() -> Result<(), Box<dyn std::error::Error>> {
    let n: u32 = "42".parse()?;
    let doubled = weft::spawn(async move { n * 2 }).await?;
    assert_eq!(doubled, 84);
    Ok(())
}

#[weft::test]
#[should_panic(expected = "the body panicked")]
async fn should_panic_attribute_is_kept() {
    panic!("the body panicked");
}

mod reexported {
    pub(crate) use weft as runtime;
}

#[weft::test(crate = "crate::reexported::runtime")]
async fn crate_option_names_the_weft_crate() {
    assert_eq!(weft::spawn(async { 1 }).await.unwrap(), 1);
}

#[weft::main]
async fn main_default_flavor() -> (usize, Option<String>) {
    let name = weft::spawn(async { thread::current().name().map(str::to_owned) })
        .await
        .unwrap();
    (weft::Handle::current().metrics().num_workers(), name)
}

#[test]
fn main_runs_the_body_on_the_multi_thread_flavor_by_default() {
    let (workers, name) = main_default_flavor();
    assert!(workers >= 1);
    assert_eq!(name.as_deref(), Some("weft-worker"));
}

#[weft::main(worker_threads = 1)]
async fn main_with_arguments(a: u32, b: String) -> String {
    weft::spawn(async move { format!("{b}{a}") }).await.unwrap()
}

#[test]
fn main_on_another_function_takes_arguments_and_returns_the_output() {
    assert_eq!(main_with_arguments(7, "n=".to_owned()), "n=7");
}

#[weft::test(start_paused = true)]
async fn start_paused_gives_the_test_a_paused_clock() {
    let start = weft::time::Instant::now();
    weft::time::sleep(std::time::Duration::from_secs(86_400)).await;
    assert_eq!(start.elapsed(), std::time::Duration::from_secs(86_400));
}
