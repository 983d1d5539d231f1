//! `WEFT_DEBUG` turns debug mode on, as `PYTHONASYNCIODEBUG` does for asyncio. One test
//! in its own binary: it sets the variable before any other thread exists.

#[test]
fn the_environment_variable_turns_debug_mode_on_unless_the_builder_says_no() {
    let build = |debug: Option<bool>| {
        let mut builder = weft::Runtime::builder();
        builder.current_thread();
        if let Some(debug) = debug {
            builder.debug(debug);
        }
        builder.build().unwrap().handle().is_debug()
    };
    // SAFETY: `set_var` needs no other thread reading the environment: this binary
    // runs this one test, and the runtimes built above are gone with their threads.
    unsafe { std::env::set_var("WEFT_DEBUG", "1") };
    assert!(build(None));
    assert!(!build(Some(false)));
    // SAFETY: as above.
    unsafe { std::env::set_var("WEFT_DEBUG", "0") };
    assert!(!build(None));
    // SAFETY: as above.
    unsafe { std::env::remove_var("WEFT_DEBUG") };
    assert!(!build(None));
    assert!(build(Some(true)));
}
