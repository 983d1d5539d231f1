//! What `weft`'s `join!`, `try_join!` and `select!` pass to the expanders here.
//!
//! Those are `macro_rules!` macros in `weft` that forward their input, prefixed by
//! `($crate)`, so the expansion names the `weft` crate however the user's
//! `Cargo.toml` spells it:
//!
//! ```text
//! $crate::__private::select_impl! { ($crate) biased; v = fut => v, }
//! ```
//!
//! # Rules
//!
//! 1. The first token is a parenthesised path to `weft`; every path in an expansion
//!    goes through it (`#krate::__private::...`), so nothing depends on what the
//!    user's crate has in scope.
//! 2. The locals an expansion declares are spanned `Span::mixed_site()`: as in a
//!    `macro_rules!` macro, the user's expressions cannot see or shadow them. Two
//!    locals carry the user's span instead, because rustc reports a type error at the
//!    whole macro for a span made here: `select!`'s `__weft_init{i}` (a value that is
//!    not a future) and `try_join!`'s `__weft_err` (an error type unlike the others').
//!    Both are names no user writes.
//! 3. `biased;` is a prefix only when followed by `;`, so an expression named
//!    `biased` still works as a branch.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::ParseStream;
use syn::Token;

/// The path to `weft` and the tokens the user wrote (rule 1).
pub(crate) fn split_crate(input: TokenStream) -> syn::Result<(TokenStream, TokenStream)> {
    let mut tokens = input.into_iter();
    match tokens.next() {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis => {
            Ok((group.stream(), tokens.collect()))
        }
        _ => Err(syn::Error::new(
            Span::call_site(),
            "this macro is weft's implementation detail: write `weft::join!`, \
             `weft::try_join!` or `weft::select!`",
        )),
    }
}

/// Consumes a leading `biased;` (rule 3).
pub(crate) fn parse_biased(input: ParseStream<'_>) -> syn::Result<bool> {
    let fork = input.fork();
    let is_biased = fork
        .parse::<Ident>()
        .is_ok_and(|ident| ident == "biased" && fork.peek(Token![;]));
    if is_biased {
        input.parse::<Ident>()?;
        input.parse::<Token![;]>()?;
    }
    Ok(is_biased)
}

/// A local of the expansion for branch `index`: `__weft_{what}{index}`, invisible to
/// user code (rule 2).
pub(crate) fn local(what: &str, index: usize) -> Ident {
    Ident::new(&format!("__weft_{what}{index}"), Span::mixed_site())
}

/// A local without an index (rule 2).
pub(crate) fn local1(what: &str) -> Ident {
    Ident::new(&format!("__weft_{what}"), Span::mixed_site())
}

/// How [`poll_branches`] goes round the branches.
#[derive(Clone, Copy)]
pub(crate) enum Visit {
    /// Every branch runs each poll (`join!`): the bodies are laid out once, in order,
    /// inside a `loop` that runs at most twice, the first pass skipping the bodies
    /// before the starting one (tokio's `join!` loop) — straight-line code, no jump.
    All,
    /// Usually one branch runs before a `return` (`select!`): a `for` over the
    /// branch numbers from the start, each jumping to its body through a `match`, so
    /// the first one reached costs the same whichever it is.
    UntilReturn,
}

/// The `poll_fn` both expansions await: each poll visits every branch once, from
/// branch `start` round to the one before it, running `arms` (one body per branch, in
/// order, which sets `local1("pending")` when its branch is pending and may `return`),
/// then yields `Pending` if any branch was, else `none_pending`.
pub(crate) fn poll_branches(
    private: &TokenStream,
    visit: Visit,
    start: TokenStream,
    arms: Vec<TokenStream>,
    none_pending: TokenStream,
) -> TokenStream {
    let (cx, pending) = (local1("cx"), local1("pending"));
    let n = arms.len() as u32;
    let round = match visit {
        Visit::All => {
            let (skip, to_run) = (local1("skip"), local1("to_run"));
            let visits = arms.iter().map(|arm| {
                quote! {
                    if #skip == 0 {
                        if #to_run == 0 {
                            break;
                        }
                        #to_run -= 1;
                        #arm
                    } else {
                        #skip -= 1;
                    }
                }
            });
            quote! {
                let mut #skip: u32 = #start;
                let mut #to_run: u32 = #n;
                loop {
                    #( #visits )*
                }
            }
        }
        Visit::UntilReturn => {
            let (first, branch) = (local1("first"), local1("branch"));
            let index = 0..n;
            quote! {
                let #first: u32 = #start;
                for #branch in 0..#n {
                    let mut #branch = #first + #branch;
                    if #branch >= #n {
                        #branch -= #n;
                    }
                    match #branch {
                        #( #index => #arms )*
                        _ => {}
                    }
                }
            }
        }
    };
    quote! {
        #private::poll_fn(move |#cx| {
            let mut #pending = false;
            #round
            if #pending {
                #private::Poll::Pending
            } else {
                #none_pending
            }
        })
    }
}
