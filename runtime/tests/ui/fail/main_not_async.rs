// A `main` without `async`: our error at `fn`, and the item is still emitted, so rustc
// finds a `main` and reports nothing else. On something that is not a function, the
// error says where the attribute goes.

#[weft::main]
fn main() {}

#[weft::main]
struct NotAFunction;
