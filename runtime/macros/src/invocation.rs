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
//!    `macro_rules!` macro, the user's expressions cannot see or shadow them.
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

/// The `poll_fn` both expansions await: each poll visits every branch once, from
/// branch `start` round to the one before it, running `arms` (a `match` arm per
/// branch index, which sets `local1("pending")` when its branch is pending and may
/// `return`), then yields `Pending` if any branch was, else `none_pending`.
pub(crate) fn poll_branches(
    private: &TokenStream,
    n: usize,
    start: TokenStream,
    arms: impl Iterator<Item = TokenStream>,
    none_pending: TokenStream,
) -> TokenStream {
    let (cx, pending, step, branch) = (
        local1("cx"),
        local1("pending"),
        local1("step"),
        local1("branch"),
    );
    let n = n as u32;
    quote! {
        #private::poll_fn(|#cx| {
            let mut #pending = false;
            let #step: u32 = #start;
            for #branch in 0..#n {
                let mut #branch = #step + #branch;
                if #branch >= #n {
                    #branch -= #n;
                }
                match #branch {
                    #( #arms )*
                    _ => {}
                }
            }
            if #pending {
                #private::Poll::Pending
            } else {
                #none_pending
            }
        })
    }
}
