//! The expansion of `weft::join!` and `weft::try_join!`.
//!
//! ```text
//! {
//!     let mut __weft_fut0 = pin!(MaybeDone::Future(IntoFuture::into_future(e0)));
//!     let mut __weft_next = 0u32;                  // the rotation, unless `biased;`
//!     poll_fn(move |cx| {
//!         // each branch, from the rotation's start: poll it unless done (its
//!         // MaybeDone then drops the future and keeps the output); try_join!:
//!         // return a branch's `Err` as soon as it is done with one
//!         // Ready(every output, taken) once no branch is pending
//!     }).await
//! }
//! ```
//!
//! # Rules
//!
//! 1. Each poll polls every unfinished branch once, with the task's waker (tokio's
//!    `join!`): no allocation, and O(branches) a wake, which is what a fixed handful of
//!    branches wants. Many futures of one type go to `weft::join_all`, which re-polls
//!    only the ones that woke.
//! 2. Unless `biased;`, the first branch polled moves by one each poll, so a branch
//!    that exhausts a resource cannot starve the ones after it; `biased;` polls in the
//!    written order.
//! 3. A branch's future is dropped as soon as it finishes; only its output is kept,
//!    in the same place (`MaybeDone`, which holds the one pin projection). No `unsafe`
//!    in the expansion: each branch is pinned by `pin!` in a local.
//! 4. `try_join!` returns the first `Err` a poll meets; the futures not finished are
//!    dropped when the expansion's block ends, before the caller sees the error.

use crate::invocation::{local, local1, parse_biased, poll_branches, split_crate, Visit};
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Token};

/// `join!` (`Result` handling off) or `try_join!` (on).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    All,
    Try,
}

pub(crate) fn expand(kind: Join, input: TokenStream) -> TokenStream {
    match expand_checked(kind, input) {
        Ok(tokens) => tokens,
        Err(error) => error.into_compile_error(),
    }
}

fn expand_checked(kind: Join, input: TokenStream) -> syn::Result<TokenStream> {
    let (krate, input) = split_crate(input)?;
    let (biased, futures) = (|input: ParseStream<'_>| {
        let biased = parse_biased(input)?;
        let futures = Punctuated::<Expr, Token![,]>::parse_terminated(input)?;
        Ok((biased, futures))
    })
    .parse2(input)?;
    let futures: Vec<Expr> = futures.into_iter().collect();
    let n = futures.len();
    let private = quote!(#krate::__private);

    if n == 0 {
        return Ok(match kind {
            Join::All => quote!(()),
            Join::Try => quote!(#private::Result::Ok(())),
        });
    }

    let spans: Vec<_> = futures.iter().map(Spanned::span).collect();
    let fut: Vec<_> = (0..n).map(|i| local("fut", i)).collect();
    let cx = local1("cx");
    let pending = local1("pending");
    let next = local1("next");
    let step = local1("step");
    let ready = local1("ready");
    let n_u32 = n as u32;

    // The future of each branch, pinned in place (rule 3); an error about a value that
    // is not a future points at the user's expression.
    let pinned = futures.iter().zip(&fut).map(|(expr, fut)| {
        quote! {
            let mut #fut = #private::pin!(#private::MaybeDone::Future(
                #private::IntoFuture::into_future(#expr)
            ));
        }
    });

    // One body per branch: poll it unless done (rule 1).
    let arms = fut.iter().zip(&spans).map(|(fut, span)| match kind {
        Join::All => quote! {
            if !#fut.as_mut().poll_done(#cx) {
                #pending = true;
            }
        },
        Join::Try => {
            // Spanned (hygiene too) at the branch, so that an error type unlike the
            // others' is reported there and not at the whole macro.
            let err = syn::Ident::new("__weft_err", *span);
            quote! {
                if !#fut.as_mut().poll_done(#cx) {
                    #pending = true;
                } else if let #private::Option::Some(#private::Result::Err(_)) =
                    #fut.as_mut().output_mut()
                {
                    // Rule 4.
                    if let #private::Option::Some(#private::Result::Err(#err)) =
                        #fut.as_mut().take_output()
                    {
                        return #private::Poll::Ready(#private::Result::Err(#err));
                    }
                }
            }
        }
    });

    // Rule 2: where this poll starts.
    let (rotation, start) = if biased || n == 1 {
        (quote!(), quote!(0u32))
    } else {
        (
            quote! { let mut #next: u32 = 0; },
            quote! {{
                let #step = #next;
                #next = if #step + 1 == #n_u32 { 0 } else { #step + 1 };
                #step
            }},
        )
    };

    let take = |fut: &syn::Ident| match kind {
        Join::All => quote! {
            match #fut.as_mut().take_output() {
                #private::Option::Some(#ready) => #ready,
                #private::Option::None => #private::unreachable!("weft::join!: a branch without its output"),
            }
        },
        Join::Try => quote! {
            match #fut.as_mut().take_output() {
                #private::Option::Some(#private::Result::Ok(#ready)) => #ready,
                _ => #private::unreachable!("weft::try_join!: a branch without its value"),
            }
        },
    };
    let outputs = fut.iter().map(take);
    let outputs = quote!(( #( #outputs, )* ));
    let finished = match kind {
        Join::All => quote!(#private::Poll::Ready(#outputs)),
        Join::Try => quote!(#private::Poll::Ready(#private::Result::Ok(#outputs))),
    };
    let polled = poll_branches(&private, Visit::All, start, arms.collect(), finished);

    Ok(quote! {{
        #( #pinned )*
        #rotation
        // Uninhabited outputs (`Infallible`) make some arms unreachable.
        #[allow(unreachable_code)]
        let #ready = #polled
        .await;
        #ready
    }})
}
