//! `Errors`: every mistake found in one attribute, reported together.
//!
//! A macro that stops at the first mistake makes the user fix them one compile at a
//! time. Each check pushes its own spanned error here and carries on with what was
//! valid; the expansion then appends all of them, as `compile_error!`s, after the
//! function it still emits.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

/// The spanned errors collected while expanding one attribute.
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    /// Records `error`; it is reported after the ones recorded before it.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    /// Records `message`, pointing at the source of `tokens`.
    pub(crate) fn at<T: ToTokens>(&mut self, tokens: T, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// One `compile_error!` per recorded error (nothing when there were none).
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.first
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}
