//! `#[weft::main]` and `#[weft::test]`.
