// Options that need the other flavor: `worker_threads` needs multi_thread (not the
// default of tests), `start_paused` needs current_thread (not the default of main).

#[weft::test(worker_threads = 2)]
async fn workers_on_the_test_default() {}

#[weft::main(flavor = "current_thread", worker_threads = 2)]
async fn workers_on_current_thread() {}

#[weft::main(start_paused = true)]
async fn paused_on_the_main_default() {}

#[weft::test(flavor = "multi_thread", start_paused = true)]
async fn paused_on_multi_thread() {}

fn main() {}
