//! The expansion: checks the function, then turns it into a synchronous function that
//! builds a runtime and blocks on the body.
//!
//! # What comes out
//!
//! ```text
//! #[attrs]                        // the user's, in order; inner ones made outer
//! #[::core::prelude::v1::test]    // #[weft::test] only
//! vis fn name(..) -> Ret {        // the signature, without `async`
//!     let body = async move { .. };
//!     {
//!         let mut builder = ::weft::Runtime::builder();
//!         builder.multi_thread();         // one call per option
//!         match builder.build() {
//!             Ok(runtime) => runtime.block_on(body),
//!             Err(err) => panic!("failed to build the weft runtime: {}", err),
//!         }
//!     }
//! }
//! ```
//!
//! # Rules
//!
//! 1. The function is emitted whatever the mistakes, as close to what the user wrote
//!    as the mistakes allow; the errors follow it as `compile_error!`s. An IDE keeps its
//!    completions, and rustc reports nothing of its own about our mistakes: a missing
//!    `async` still gets the `async` block, and arguments where none are allowed are
//!    taken out of the signature and bound, unreachably, inside the body, so the body
//!    still type-checks against them.
//! 2. The body becomes an `async move` block with its own tokens and spans: `?` and
//!    `return` act on the body, and errors in it point at the user's code.
//! 3. `block_on(body)` carries the spans of the body's last statement, so a body whose
//!    type does not match the return type is reported at that statement.
//! 4. The local variables the expansion introduces (`body`, `builder`, `runtime`,
//!    `err`) are `mixed_site`-hygienic: the user's code cannot name them.

use crate::errors::Errors;
use crate::item::{is_test_attribute, EntryFn};
use crate::options::{Flavor, Options};
use crate::Entry;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::punctuated::Punctuated;
use syn::{FnArg, PatType};

/// Expands `#[weft::main]` or `#[weft::test]` (per `entry`) with arguments `args` on
/// `item`.
pub(crate) fn expand(entry: Entry, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut func: EntryFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(err) => {
            let message = format!("`#[{}]` goes on an `async fn`: {err}", entry.name());
            errors.push(syn::Error::new(err.span(), message));
            let mut tokens = item;
            tokens.extend(errors.into_compile_errors());
            return tokens;
        }
    };
    let options = Options::parse(entry, args, &mut errors);

    if func.sig.asyncness.is_none() {
        let message = format!(
            "`#[{}]` runs an `async fn`: write `async fn {}`",
            entry.name(),
            func.sig.ident,
        );
        errors.at(func.sig.fn_token, message);
    }
    let arguments_allowed = match entry {
        Entry::Main => func.sig.ident != "main",
        Entry::Test => false,
    };
    let mut unreachable_arguments = Vec::new();
    if !arguments_allowed && !func.sig.inputs.is_empty() {
        let message = match entry {
            Entry::Main => {
                "`main` takes no arguments; read the command line with `std::env::args()`"
            }
            Entry::Test => "a test takes no arguments; create its inputs in its body",
        };
        errors.at(&func.sig.inputs, message);
        unreachable_arguments = take_typed_arguments(&mut func.sig.inputs);
    }
    let mut add_test_attribute = entry == Entry::Test;
    if let Some(test) = func.attrs.iter().find(|attr| is_test_attribute(attr)) {
        if entry == Entry::Test {
            let message = "`#[weft::test]` already makes this a test; remove this `#[test]`";
            errors.at(test, message);
            add_test_attribute = false;
        }
    }

    let mut tokens = emit(func, &options, add_test_attribute, &unreachable_arguments);
    tokens.extend(errors.into_compile_errors());
    tokens
}

/// Takes the typed arguments out of `inputs` (a receiver, which cannot be bound with
/// `let`, stays).
fn take_typed_arguments(inputs: &mut Punctuated<FnArg, syn::Token![,]>) -> Vec<PatType> {
    let mut typed = Vec::new();
    let mut kept = Punctuated::new();
    for input in std::mem::take(inputs) {
        match input {
            FnArg::Typed(arg) => typed.push(arg),
            receiver @ FnArg::Receiver(_) => kept.push(receiver),
        }
    }
    *inputs = kept;
    typed
}

/// Writes out the function (rule 1): `func` without `async`, its body run by a runtime
/// built from `options`.
fn emit(
    mut func: EntryFn,
    options: &Options,
    add_test_attribute: bool,
    unreachable_arguments: &[PatType],
) -> TokenStream {
    func.sig.asyncness = None;
    let hygienic = |name: &str| Ident::new(name, Span::mixed_site());
    let (body, builder, runtime, err) = (
        hygienic("body"),
        hygienic("builder"),
        hygienic("runtime"),
        hygienic("err"),
    );

    // Rule 2: the body, as an `async move` block inside the user's own braces.
    let mut block = TokenStream::new();
    func.brace.surround(&mut block, |block| {
        if !unreachable_arguments.is_empty() {
            let patterns = unreachable_arguments.iter().map(|arg| &arg.pat);
            let types = unreachable_arguments.iter().map(|arg| &arg.ty);
            block.extend(quote! {
                let (#(#patterns,)*): (#(#types,)*) = ::core::unreachable!();
            });
        }
        block.extend(func.body);
    });
    let allow_unreachable = if unreachable_arguments.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(unreachable_code)])
    };

    let krate = match &options.crate_path {
        Some(path) => path.to_token_stream(),
        None => quote!(::weft),
    };
    let mut setup = match options.flavor {
        Flavor::CurrentThread => quote!(#builder.current_thread();),
        Flavor::MultiThread => quote!(#builder.multi_thread();),
    };
    if let Some(n) = options.worker_threads {
        setup.extend(quote!(#builder.worker_threads(#n);));
    }
    if let Some(paused) = options.start_paused {
        setup.extend(quote!(#builder.start_paused(#paused);));
    }
    if let Some(debug) = options.debug {
        setup.extend(quote!(#builder.debug(#debug);));
    }

    // Rule 3: the call takes the location of the last statement, and keeps the
    // expansion's hygiene, so that `runtime` and `body` resolve to our bindings. All its
    // tokens share one hygiene context: rustc joins their spans into one only then.
    let (first, last) = func.last_statement;
    let (first, last) = (
        Span::mixed_site().located_at(first),
        Span::mixed_site().located_at(last),
    );
    let runtime_at_first = Ident::new("runtime", first);
    let body_at_last = Ident::new("body", last);
    let block_on = quote_spanned! {first=> #runtime_at_first.block_on};
    let call = quote_spanned! {last=> #block_on(#body_at_last)};

    let test_attribute = if add_test_attribute {
        quote!(#[::core::prelude::v1::test])
    } else {
        TokenStream::new()
    };
    let EntryFn {
        attrs, vis, sig, ..
    } = func;
    quote! {
        #(#attrs)*
        #test_attribute
        #vis #sig {
            #allow_unreachable
            let #body = async move #block;
            {
                let mut #builder = #krate::Runtime::builder();
                #setup
                match #builder.build() {
                    ::core::result::Result::Ok(#runtime) => #call,
                    ::core::result::Result::Err(#err) => ::core::panic!(
                        "failed to build the weft runtime: {}",
                        #err,
                    ),
                }
            }
        }
    }
}
