//! The expansion of `weft::join!` and `weft::try_join!`.
//!
//! ```text
//! {
//!     let mut __weft_fut0 = pin!(Some(IntoFuture::into_future(e0)));  // one per branch
//!     let mut __weft_out0 = None;
//!     let mut __weft_next = 0u32;                  // the rotation, unless `biased;`
//!     poll_fn(|cx| {
//!         // each branch not finished, from the rotation's start: poll it; on Ready
//!         // drop the future and keep the output (try_join!: return an `Err` now)
//!         // Ready(all outputs) once no branch is pending
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
//! 3. A branch's future is dropped as soon as it finishes (`Pin::set(None)`); only
//!    its output is kept. No `unsafe`: each future is pinned by `pin!` in a local.
//! 4. `try_join!` returns the first `Err` a poll meets; the futures not finished are
//!    dropped when the expansion's block ends, before the caller sees the error.

use crate::invocation::{local, local1, parse_biased, poll_branches, split_crate};
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
    let out: Vec<_> = (0..n).map(|i| local("out", i)).collect();
    let live: Vec<_> = (0..n).map(|i| local("live", i)).collect();
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
            let mut #fut = #private::pin!(#private::Option::Some(
                #private::IntoFuture::into_future(#expr)
            ));
        }
    });

    // One arm per branch: poll it if it has not finished. An error type that differs
    // from the others' is reported at the branch's expression.
    let on_ready = |i: usize| {
        let out = &out[i];
        match kind {
            Join::All => quote! { #out = #private::Option::Some(#ready); },
            Join::Try => {
                // Spanned (hygiene too) at the branch, so that an error type unlike
                // the others' is reported there and not at the whole macro.
                let err = syn::Ident::new("__weft_err", spans[i]);
                quote! {
                    match #ready {
                        #private::Result::Ok(#ready) => #out = #private::Option::Some(#ready),
                        // Rule 4.
                        #private::Result::Err(#err) => {
                            return #private::Poll::Ready(#private::Result::Err(#err));
                        }
                    }
                }
            }
        }
    };
    let arms = fut.iter().zip(&live).enumerate().map(|(i, (fut, live))| {
        let on_ready = on_ready(i);
        let index = i as u32;
        quote! {
            #index => {
                if let #private::Option::Some(#live) = #fut.as_mut().as_pin_mut() {
                    match #private::Future::poll(#live, #cx) {
                        #private::Poll::Ready(#ready) => {
                            #fut.set(#private::Option::None);
                            #on_ready
                        }
                        #private::Poll::Pending => #pending = true,
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

    let outputs = quote! {
        ( #( match #out.take() {
            #private::Option::Some(#ready) => #ready,
            #private::Option::None => #private::unreachable!("weft::join!: a branch finished without an output"),
        }, )* )
    };
    let finished = match kind {
        Join::All => quote!(#private::Poll::Ready(#outputs)),
        Join::Try => quote!(#private::Poll::Ready(#private::Result::Ok(#outputs))),
    };
    let polled = poll_branches(&private, n, start, arms, finished);

    Ok(quote! {{
        #( #pinned )*
        #( let mut #out = #private::Option::None; )*
        #rotation
        // Uninhabited outputs (`Infallible`) make some arms unreachable.
        #[allow(unreachable_code)]
        let #ready = #polled
        .await;
        #ready
    }})
}
