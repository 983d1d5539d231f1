//! `#[weft::main]` and `#[weft::test]`: run an `async fn` on a weft runtime; and the
//! expansions behind `weft::join!`, `weft::try_join!` and `weft::select!`.
//!
//! Depend on `weft` and write `#[weft::main]` / `#[weft::test]`; this crate is the
//! implementation behind those re-exports. The generated code calls the `weft` crate
//! (`::weft` unless the `crate` option says otherwise), so it needs no dependency on
//! this crate by name.
//!
//! # Options
//!
//! | option                 | values                                 | default                                       |
//! |------------------------|----------------------------------------|-----------------------------------------------|
//! | `flavor`               | `"current_thread"` or `"multi_thread"` | `"multi_thread"` on main, `"current_thread"` on tests |
//! | `worker_threads`       | an integer literal, at least 1         | the number of CPUs; `multi_thread` only        |
//! | `start_paused`         | `true` or `false`                      | not set; `current_thread` only                 |
//! | `debug`                | `true` or `false`                      | as `WEFT_DEBUG` says (`Builder::debug`)         |
//! | `crate`                | a path in a string: `"my_crate::weft"` | `"::weft"`                                    |
//!
//! `start_paused` is accepted on `#[weft::main]` as well as on `#[weft::test]`, as in
//! tokio: a simulation or a replay can want a paused clock in a binary too. It needs the
//! current-thread flavor in both.
//!
//! # Mistakes
//!
//! Every mistake is a compile error at the tokens that caused it, saying what to write
//! instead: a function without `async`, arguments on `main` or on a test, a second
//! `#[test]` under `#[weft::test]`, an unknown option (with a suggestion when it is a
//! near miss), a value of the wrong kind, an option given twice, and options that need
//! the other flavor. All mistakes in one attribute are reported together, and the
//! function is still emitted, so the IDE keeps working and the errors are only these.
#![warn(missing_docs)]

mod errors;
mod expand;
mod invocation;
mod item;
mod join;
mod options;
mod select;

use proc_macro::TokenStream;

/// Runs an `async fn` on a new weft runtime: `asyncio.run(main())` as an attribute.
///
/// The function becomes a synchronous one with the same name, attributes, visibility
/// and return type. It builds a runtime (multi-thread unless `flavor` says otherwise),
/// blocks on the body, returns the body's output, and shuts the runtime down when the
/// body is done. `async fn main() -> Result<(), E>` works, with `?` in the body.
///
/// On a function not named `main` (a helper that runs its own runtime), arguments are
/// allowed and moved into the body.
///
/// ```ignore
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let answer = weft::spawn(async { 42 }).await.expect("the task ran");
///     println!("{answer}");
///     Ok(())
/// }
/// ```
///
/// With options (see the crate docs for each):
///
/// ```ignore
/// #[weft::main(flavor = "multi_thread", worker_threads = 4)]
/// async fn main() {}
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {}
/// ```
///
/// The examples are `ignore`d here because this crate cannot depend on `weft`; the same
/// examples compile and run in the docs of `weft::main`.
///
/// # Panics
///
/// The generated function panics with "failed to build the weft runtime: …" if the
/// runtime cannot be built (the OS refuses a thread), and when called on a thread that
/// already runs a weft runtime.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Entry::Main, args.into(), item.into()).into()
}

/// Runs an `async fn` test on its own weft runtime.
///
/// Like [`macro@main`], and adds `#[test]` (do not write it yourself). The default flavor
/// is `current_thread`: the test and every task it spawns run on the test's thread, in
/// a deterministic order. A test may return `Result<(), E>`.
///
/// ```ignore
/// #[weft::test]
/// async fn spawned_tasks_complete() {
///     assert_eq!(weft::spawn(async { 1 + 1 }).await.unwrap(), 2);
/// }
///
/// #[weft::test(flavor = "multi_thread", worker_threads = 2)]
/// async fn on_two_workers() -> Result<(), weft::TaskError> {
///     weft::spawn(async {}).await
/// }
///
/// #[weft::test(start_paused = true)]
/// async fn with_the_clock_paused() {}
/// ```
///
/// `#[should_panic]`, `#[ignore]` and other test attributes are kept.
///
/// # Panics
///
/// As for [`macro@main`].
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Entry::Test, args.into(), item.into()).into()
}

/// The expansion of `weft::join!`; write that, not this (it takes weft's path first).
#[doc(hidden)]
#[proc_macro]
pub fn join_impl(input: TokenStream) -> TokenStream {
    join::expand(join::Join::All, input.into()).into()
}

/// The expansion of `weft::try_join!`; write that, not this.
#[doc(hidden)]
#[proc_macro]
pub fn try_join_impl(input: TokenStream) -> TokenStream {
    join::expand(join::Join::Try, input.into()).into()
}

/// The expansion of `weft::select!`; write that, not this.
#[doc(hidden)]
#[proc_macro]
pub fn select_impl(input: TokenStream) -> TokenStream {
    select::expand(input.into()).into()
}

/// Which attribute is being expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Main,
    Test,
}

impl Entry {
    /// The attribute as users write it.
    fn name(self) -> &'static str {
        match self {
            Entry::Main => "weft::main",
            Entry::Test => "weft::test",
        }
    }

    /// The flavor when the attribute names none.
    fn default_flavor(self) -> options::Flavor {
        match self {
            Entry::Main => options::Flavor::MultiThread,
            Entry::Test => options::Flavor::CurrentThread,
        }
    }
}
