//! The expansion of `weft::select!`: tokio's syntax and semantics.
//!
//! ```text
//! {
//!     enum __WeftSelectOut<T0, T1> { Branch0(T0), Branch1(T1), Disabled }
//!     let mut __weft_on0: bool = <precondition 0>;     // every precondition first
//!     let mut __weft_on1: bool = true;
//!     let __weft_output = {
//!         let __weft_init0 = <future 0>;               // then every future, in order
//!         let __weft_init1 = <future 1>;
//!         let mut __weft_fut0 = pin!(IntoFuture::into_future(__weft_init0));
//!         let mut __weft_fut1 = pin!(IntoFuture::into_future(__weft_init1));
//!         poll_fn(|cx| {
//!             // from a random branch (or the first, `biased;`), each enabled one:
//!             // Pending -> keep going; Ready(v) -> disable it, and if v matches the
//!             // pattern return Branch_i(v)
//!             // none pending -> Disabled
//!         }).await
//!     };                                               // every future dropped here
//!     match __weft_output {
//!         __WeftSelectOut::Branch0(<pattern 0>) => <handler 0>,
//!         __WeftSelectOut::Branch1(<pattern 1>) => <handler 1>,
//!         __WeftSelectOut::Disabled => <else, or tokio's panic>,
//!     }
//! }
//! ```
//!
//! # Rules
//!
//! 1. The lifecycle is tokio's, step for step: preconditions, then futures (a
//!    disabled branch's future is still evaluated, never polled); all branches
//!    disabled → `else`; the first value to match its pattern → its handler; a value
//!    that does not match disables its branch and the others go on.
//! 2. Every future is dropped at the end of the inner block, before the handler runs:
//!    the losers, and the winner, which has finished.
//! 3. Handlers run outside the polling closure, in the caller's async context, so
//!    `.await`, `?`, `return`, `break` and `continue` in a handler mean what they mean
//!    around the `select!`.
//! 4. Whether a value matches is tested on a reference to it, with the pattern's `ref`
//!    and `mut` removed (tokio's `clean_pattern`), so a value that does not match is
//!    dropped and one that does moves whole into the handler's `match`.
//! 5. Branches are polled from a start drawn from a per-thread RNG each poll, unless
//!    `biased;`: in a loop, an always-ready branch does not starve the others.
//! 6. Any number of branches; the comma after a handler is optional after a block-like
//!    expression, as in a `match` arm.

use crate::invocation::{local, local1, parse_biased, poll_branches, split_crate, Visit};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Pat, Token};

/// `pattern = future (, if precondition)? => handler`
struct Branch {
    pattern: Pat,
    future: Expr,
    precondition: Option<Expr>,
    handler: Expr,
}

struct Select {
    biased: bool,
    branches: Vec<Branch>,
    otherwise: Option<Expr>,
}

const SHAPE: &str = "a `select!` branch is `pattern = future => handler,` \
                     or `pattern = future, if precondition => handler,`";

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match expand_checked(input) {
        Ok(tokens) => tokens,
        Err(error) => error.into_compile_error(),
    }
}

fn expand_checked(input: TokenStream) -> syn::Result<TokenStream> {
    let (krate, input) = split_crate(input)?;
    let select = parse.parse2(input)?;
    Ok(expand_select(&krate, select))
}

fn parse(input: ParseStream<'_>) -> syn::Result<Select> {
    let biased = parse_biased(input)?;
    let mut branches = Vec::new();
    let mut otherwise = None;
    while !input.is_empty() {
        if input.peek(Token![else]) {
            let keyword: Token![else] = input.parse()?;
            if otherwise.is_some() {
                return Err(syn::Error::new_spanned(
                    keyword,
                    "`select!` takes one `else` branch at most",
                ));
            }
            expect_arrow(input, "after `else` in `select!`: `else => expression`")?;
            otherwise = Some(Expr::parse_with_earlier_boundary_rule(input)?);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
            if !input.is_empty() && !input.peek(Token![else]) {
                return Err(input.error("the `else` branch must be the last in `select!`"));
            }
            continue;
        }
        branches.push(parse_branch(input)?);
    }
    if branches.is_empty() && otherwise.is_none() {
        return Err(syn::Error::new(
            Span::call_site(),
            format!("`select!` needs at least one branch: {SHAPE}"),
        ));
    }
    Ok(Select {
        biased,
        branches,
        otherwise,
    })
}

fn parse_branch(input: ParseStream<'_>) -> syn::Result<Branch> {
    let pattern = Pat::parse_multi_with_leading_vert(input)?;
    if !input.peek(Token![=]) || input.peek(Token![==]) || input.peek(Token![=>]) {
        return Err(input.error(format!("expected `=` after the pattern: {SHAPE}")));
    }
    input.parse::<Token![=]>()?;
    let future: Expr = input.parse()?;
    let precondition = if input.peek(Token![,]) && input.peek2(Token![if]) {
        input.parse::<Token![,]>()?;
        input.parse::<Token![if]>()?;
        Some(input.parse::<Expr>()?)
    } else {
        None
    };
    expect_arrow(input, &format!("after the future: {SHAPE}"))?;
    let handler = Expr::parse_with_earlier_boundary_rule(input)?;
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    } else if !input.is_empty() && !is_block_like(&handler) {
        return Err(input.error(
            "expected `,` after this handler: a `select!` handler that is not a block \
             ends with a comma (rule of `match` arms)",
        ));
    }
    Ok(Branch {
        pattern,
        future,
        precondition,
        handler,
    })
}

fn expect_arrow(input: ParseStream<'_>, where_: &str) -> syn::Result<()> {
    if input.peek(Token![=>]) {
        input.parse::<Token![=>]>()?;
        Ok(())
    } else {
        Err(input.error(format!("expected `=>` {where_}")))
    }
}

/// Whether a `match` arm may omit its comma after `expr` (rule 6).
fn is_block_like(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::If(_)
            | Expr::Match(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
            | Expr::While(_)
            | Expr::Loop(_)
            | Expr::ForLoop(_)
            | Expr::TryBlock(_)
            | Expr::Const(_)
    )
}

fn expand_select(krate: &TokenStream, select: Select) -> TokenStream {
    let private = quote!(#krate::__private);
    let otherwise = match &select.otherwise {
        Some(expr) => quote!(#expr),
        None => quote! {
            #private::panic!("all branches are disabled and there is no else branch")
        },
    };
    let n = select.branches.len();
    if n == 0 {
        return quote!({ #otherwise });
    }

    let out_enum = Ident::new("__WeftSelectOut", Span::mixed_site());
    let variant: Vec<_> = (0..n)
        .map(|i| Ident::new(&format!("Branch{i}"), Span::mixed_site()))
        .collect();
    let param: Vec<_> = (0..n)
        .map(|i| Ident::new(&format!("T{i}"), Span::mixed_site()))
        .collect();
    let on: Vec<_> = (0..n).map(|i| local("on", i)).collect();
    // The one exception to invocation.rs rule 2: the local holding a branch's value
    // until it is made a future carries the user's span, hygiene included, because
    // rustc reports "not a future" at that argument, and at the whole `select!` for a
    // span made by this macro. The name is still one no user writes.
    let init: Vec<_> = select
        .branches
        .iter()
        .enumerate()
        .map(|(i, b)| Ident::new(&format!("__weft_init{i}"), b.future.span()))
        .collect();
    let fut: Vec<_> = (0..n).map(|i| local("fut", i)).collect();
    let cx = local1("cx");
    let pending = local1("pending");
    let ready = local1("ready");
    let output = local1("output");
    let n_u32 = n as u32;

    // Rule 1: preconditions first, in order.
    let preconditions = select.branches.iter().zip(&on).map(|(b, on)| {
        let value = match &b.precondition {
            Some(expr) => quote!(#expr),
            None => quote!(true),
        };
        quote! { let mut #on: bool = #value; }
    });
    // Then the futures, in order, each kept as written (temporary lifetime extension
    // lets `&mut make()` live long enough), then made futures and pinned.
    let inits = select
        .branches
        .iter()
        .zip(&init)
        .map(|(b, init)| {
            let future = &b.future;
            quote! { let #init = #future; }
        })
        .collect::<Vec<_>>();
    let pinned = init.iter().zip(&fut).map(|(init, fut)| {
        quote! { let mut #fut = #private::pin!(#private::IntoFuture::into_future(#init)); }
    });
    let arms = select.branches.iter().enumerate().map(|(i, b)| {
        let (on, fut, variant) = (&on[i], &fut[i], &variant[i]);
        let mut cleaned = b.pattern.clone();
        clean_pattern(&mut cleaned);
        quote! {
            {
                if #on {
                    match #private::Future::poll(#fut.as_mut(), #cx) {
                        #private::Poll::Ready(#ready) => {
                            // Rule 1: a finished branch is never polled again.
                            #on = false;
                            // Rule 4.
                            match &#ready {
                                #[allow(unused_variables)]
                                #cleaned => {
                                    return #private::Poll::Ready(#out_enum::#variant(#ready));
                                }
                                #[allow(unreachable_patterns)]
                                _ => {}
                            }
                        }
                        #private::Poll::Pending => #pending = true,
                    }
                }
            }
        }
    });
    let handlers = select.branches.iter().zip(&variant).map(|(b, variant)| {
        let (pattern, handler) = (&b.pattern, &b.handler);
        quote! { #out_enum::#variant(#pattern) => #handler, }
    });
    // Rule 5.
    let first = if select.biased || n == 1 {
        quote!(0u32)
    } else {
        quote!(#private::select_start(#n_u32))
    };
    let polled = poll_branches(
        &private,
        Visit::UntilReturn,
        first,
        arms.collect(),
        quote!(#private::Poll::Ready(#out_enum::Disabled)),
    );

    quote! {{
        enum #out_enum<#( #param, )*> {
            #( #variant(#param), )*
            Disabled,
        }
        #( #preconditions )*
        // Uninhabited outputs (`Infallible`) make some arms unreachable.
        #[allow(unreachable_code)]
        let #output = {
            #( #inits )*
            #( #pinned )*
            #polled
            .await
        };
        // Rule 3: handlers run here, after every future was dropped (rule 2).
        match #output {
            #( #handlers )*
            #out_enum::Disabled => #otherwise,
            #[allow(unreachable_patterns)]
            _ => #private::unreachable!("weft::select!: a value that matched its pattern no longer does"),
        }
    }}
}

/// Removes `ref` and `mut` from the bindings of `pattern` (rule 4), as tokio does.
fn clean_pattern(pattern: &mut Pat) {
    match pattern {
        Pat::Ident(ident) => {
            ident.by_ref = None;
            ident.mutability = None;
            if let Some((_, sub)) = &mut ident.subpat {
                clean_pattern(sub);
            }
        }
        Pat::Or(or) => or.cases.iter_mut().for_each(clean_pattern),
        Pat::Slice(slice) => slice.elems.iter_mut().for_each(clean_pattern),
        Pat::Struct(fields) => fields
            .fields
            .iter_mut()
            .for_each(|field| clean_pattern(&mut field.pat)),
        Pat::Tuple(tuple) => tuple.elems.iter_mut().for_each(clean_pattern),
        Pat::TupleStruct(tuple) => tuple.elems.iter_mut().for_each(clean_pattern),
        Pat::Reference(reference) => {
            reference.mutability = None;
            clean_pattern(&mut reference.pat);
        }
        Pat::Type(typed) => clean_pattern(&mut typed.pat),
        Pat::Paren(paren) => clean_pattern(&mut paren.pat),
        _ => {}
    }
}
