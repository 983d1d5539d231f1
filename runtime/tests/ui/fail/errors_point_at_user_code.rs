// Errors rustc finds in the expansion point at the user's tokens: a body whose type
// does not match the declared return type is reported at the last statement, `?` where
// the return type cannot carry the error at the `?`, and a `crate` path that does not
// resolve at the string. (Kept apart from the option mistakes: rustc reports these
// only when no macro reported an error.)

#[weft::main]
async fn main() -> Result<(), String> {
    let n = 1_u32;
    n + 1
}

#[weft::main]
async fn question_mark_without_result() {
    let _n: u32 = "1".parse()?;
}

#[weft::main(crate = "crate::no_such_module")]
async fn crate_not_found() {}
