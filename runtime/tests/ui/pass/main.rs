//! `#[weft::main]` keeps the function's attributes (inner ones too), doc comment and
//! visibility, lets the body `return`, and runs it on the multi-thread flavor by
//! default.
#![deny(warnings)]

/// The doc comment stays on the generated `main`.
#[weft::main]
#[allow(clippy::needless_return)]
pub async fn main() {
    #![allow(unused_variables)]
    let unused = 1;
    let worker = weft::spawn(async { std::thread::current().name().map(str::to_owned) })
        .await
        .unwrap();
    assert_eq!(worker.as_deref(), Some("weft-worker"));
    return;
}
