// Values of the wrong kind, each reported at the value with what to write instead.

#[weft::main(flavor = multi_thread)]
async fn flavor_not_a_string() {}

#[weft::main(flavor = "multi-threaded")]
async fn flavor_near_miss() {}

#[weft::main(flavor = "local")]
async fn flavor_unknown() {}

#[weft::main(worker_threads = 0)]
async fn zero_workers() {}

#[weft::main(worker_threads = "4")]
async fn workers_in_quotes() {}

const WORKERS: usize = 4;

#[weft::main(worker_threads = WORKERS)]
async fn workers_from_a_const() {}

#[weft::test(start_paused = "true")]
async fn paused_in_quotes() {}

#[weft::test(start_paused = 1)]
async fn paused_not_a_bool() {}

#[weft::main(crate = my_weft)]
async fn crate_not_a_string() {}

#[weft::main(crate = "not a path")]
async fn crate_not_a_path() {}

fn main() {}
