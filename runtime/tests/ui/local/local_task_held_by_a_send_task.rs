// A task that may move between workers cannot hold a local task's handle across an
// await: it would carry it to another thread.
fn main() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        weft::spawn(async {
            let task = weft::spawn_local(async { 1 });
            weft::yield_now().await;
            task.await
        });
    });
}
