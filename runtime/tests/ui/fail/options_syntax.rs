// Options that are not `name = value` with a known name: unknown names (with a
// suggestion for near misses), bare words, list syntax, an option given twice, and
// arguments that do not parse. All the mistakes in one attribute are reported.

#[weft::main(worker_thread = 2)]
async fn near_miss() {}

#[weft::main(threads = 2)]
async fn unknown() {}

#[weft::main(multi_thread)]
async fn bare_flavor() {}

#[weft::test(start_paused)]
async fn bare_option() {}

#[weft::main(flavor("current_thread"))]
async fn list_syntax() {}

#[weft::main(flavor = "multi_thread", flavor = "multi_thread")]
async fn twice() {}

#[weft::main(flavor =)]
async fn unparsable() {}

#[weft::main(flavour = "current_thread", worker_threads = 0, threads = 2)]
async fn several_mistakes() {}

fn main() {}
