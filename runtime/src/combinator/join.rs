//! `join!` and `try_join!`: the `macro_rules!` shims and their documentation. The
//! expansion is `weft-rt-macros`' `join.rs`, whose module doc holds its rules.

/// Waits for every branch, polling them concurrently inside the current task, and
/// evaluates to a tuple of their outputs in order (tokio's `join!`; asyncio's
/// `gather` without making tasks).
///
/// `join!` must be used inside an async context; it awaits by itself (no `.await`
/// after it). Each argument is a future (or anything `IntoFuture`), evaluated in order.
/// Nothing is spawned, so the futures may borrow locals and need not be `Send` or
/// `'static`; they run concurrently, not in parallel: all on the current task's thread.
/// To run on several workers at once, spawn them ([`gather!`](crate::gather)).
///
/// ```
/// use std::cell::RefCell;
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let log = RefCell::new(Vec::new()); // borrowed, and not Send
///     let (a, b) = weft::join!(
///         async {
///             log.borrow_mut().push("a starts");
///             weft::yield_now().await;
///             1
///         },
///         async {
///             log.borrow_mut().push("b starts");
///             "two"
///         },
///     );
///     assert_eq!((a, b), (1, "two"));
///     assert_eq!(log.borrow().len(), 2);
/// });
/// ```
///
/// Any number of branches. Each poll polls every branch not finished, once; a finished
/// branch's future is dropped at once and only its output kept. For many futures of
/// one type, [`join_all`](crate::join_all) re-polls only those that woke.
///
/// # Fairness
///
/// The branch polled first moves by one on every poll, so none is always last.
/// `biased;` before the branches polls them in the written order every time:
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let ((), ()) = weft::join!(biased; async {}, async {});
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the enclosing future while it waits drops every branch, finished or not:
/// the outputs already produced are lost, and each unfinished branch loses what its
/// own future loses when dropped.
#[macro_export]
macro_rules! join {
    ($($input:tt)*) => {
        $crate::__private::join_impl!(($crate) $($input)*)
    };
}

/// Waits for every branch to return `Ok`, polling them concurrently inside the
/// current task, and evaluates to `Ok` of a tuple of their values — or to the first
/// `Err`, as soon as a branch returns it, after dropping the branches not finished
/// (tokio's `try_join!`).
///
/// Every branch's output is a `Result` with the same error type. As [`join!`]: no
/// spawning, no `Send` or `'static` needed, `biased;` for the written order, and it
/// awaits by itself.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let parse = |s: &'static str| async move { s.parse::<u32>() };
///     let ok = weft::try_join!(parse("1"), parse("2"));
///     assert_eq!(ok, Ok((1, 2)));
///
///     let stuck = std::future::pending::<Result<u32, std::num::ParseIntError>>();
///     // The error comes at once; the branch that would never finish is dropped.
///     let failed = weft::try_join!(stuck, parse("x"));
///     assert!(failed.is_err());
/// });
/// ```
///
/// # Cancel safety
///
/// As [`join!`]: dropping it drops every branch and the values already produced.
#[macro_export]
macro_rules! try_join {
    ($($input:tt)*) => {
        $crate::__private::try_join_impl!(($crate) $($input)*)
    };
}
