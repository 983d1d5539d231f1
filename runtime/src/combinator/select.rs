//! `select!`: the `macro_rules!` shim and its documentation. The expansion is
//! `weft-rt-macros`' `select.rs`, whose module doc holds its rules.

/// Waits for the first of several branches to finish, polling them concurrently inside
/// the current task; runs that branch's handler and drops the others (tokio's
/// `select!`, same syntax and semantics; asyncio's `wait(..., FIRST_COMPLETED)` without
/// making tasks).
///
/// ```text
/// weft::select! {
///     biased;                                             // optional, first
///     <pattern> = <future> => <handler>,
///     <pattern> = <future>, if <precondition> => <handler>,
///     else => <expression>,                               // optional, last
/// }
/// ```
///
/// It must be used inside an async context and awaits by itself. Its value is the
/// handler's. The lifecycle, step for step as tokio's:
///
/// 1. Every `<precondition>` is evaluated, in order; a branch whose precondition is
///    `false` is disabled for this `select!`.
/// 2. Every `<future>` is evaluated, in order, the disabled branches' too; a disabled
///    branch's future is never polled.
/// 3. If every branch is disabled, go to 6.
/// 4. The enabled futures are polled concurrently, from a random branch each time
///    (or in the written order with `biased;`).
/// 5. When one finishes, its value is matched against its `<pattern>`. If it matches,
///    every future is dropped, then the handler runs with the pattern's bindings, and
///    its value is the `select!`'s. If not, the value is dropped, that branch is
///    disabled, and polling goes on at 3.
/// 6. The `else` expression is evaluated; without one, `select!` panics with "all
///    branches are disabled and there is no else branch".
///
/// Handlers run in the enclosing async context: `.await`, `?`, `return`, `break` and
/// `continue` in a handler act on what is around the `select!`. The futures may borrow
/// locals and need not be `Send` or `'static`. Any number of branches.
///
/// ```
/// use std::time::Duration;
/// use weft::sync::Queue;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let jobs = Queue::new(0);
///     jobs.put_nowait(1).unwrap();
///     jobs.put_nowait(2).unwrap();
///     let deadline = weft::time::sleep(Duration::from_secs(5));
///     let mut deadline = std::pin::pin!(deadline); // polled across iterations via &mut
///     let mut done = Vec::new();
///     loop {
///         weft::select! {
///             // Queue::get is cancel-safe: when the deadline wins, no item is lost.
///             Ok(job) = jobs.get() => done.push(job),
///             () = &mut deadline => break,
///         }
///     }
///     assert_eq!(done, [1, 2]);
/// });
/// ```
///
/// Patterns that can fail disable their branch when they do, and `else` covers the
/// case where none is left:
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let (mut a, mut b) = (Some(1), None::<u32>);
///     let picked = weft::select! {
///         biased;
///         Some(v) = async { b.take() } => v * 10,
///         Some(v) = async { a.take() }, if a.is_some() => v,
///         else => 0,
///     };
///     assert_eq!(picked, 1);
/// });
/// ```
///
/// # Cancel safety
///
/// A `select!` in a loop drops the losing branches' futures at every turn, so each
/// branch must be *cancel-safe*: dropped after `Pending`, it must lose nothing, so that
/// making it again next turn is the same as having kept it. Every weft future says in
/// its docs (`# Cancel safety`) whether it is: `Queue::get`, `Event::wait`,
/// `TcpListener::accept`, `read`, `sleep` and awaiting a `Task` are; `read_exact`,
/// `read_line` and `write_all` lose partial progress; the guide, `docs/select.md`,
/// has the table. A future that is not safe can still be used: create it once outside
/// the loop, pin it, and select on `&mut fut`, as the deadline above.
///
/// The `select!` itself is as cancel-safe as its branches: dropping the enclosing
/// future drops them.
///
/// # Panics
///
/// When every branch is disabled (by its precondition or by a value that did not
/// match) and there is no `else` branch.
#[macro_export]
macro_rules! select {
    ($($input:tt)*) => {
        $crate::__private::select_impl!(($crate) $($input)*)
    };
}
