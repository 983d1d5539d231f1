//! `EntryFn`: the function under the attribute, parsed only as far as the macros need.
//!
//! The signature is parsed in full; the body is kept as tokens. Parsing the statements
//! would make a syntax error anywhere in the body an error of the macro, and the user
//! would lose the expansion (and their IDE its completions) for a typo; left as tokens,
//! the body reaches rustc, which reports the typo where it is.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{braced, token, AttrStyle, Attribute, Signature, Visibility};

/// An `fn` item: attributes, visibility, signature and a body of unparsed statements.
pub(crate) struct EntryFn {
    /// The outer attributes, then the body's inner attributes (`#![allow(..)]`) turned
    /// into outer ones: the body becomes an `async` block, where inner attributes are
    /// not allowed.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) brace: token::Brace,
    /// The statements, without the inner attributes.
    pub(crate) body: TokenStream,
    /// The first and the last token of the body's last statement (the call site when
    /// the body is empty). The generated `block_on` call is given these spans, so a
    /// mismatch between the body's type and the return type points at user code.
    pub(crate) last_statement: (Span, Span),
}

impl Parse for EntryFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<EntryFn> {
        let mut attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let content;
        let brace = braced!(content in input);
        for mut attr in content.call(Attribute::parse_inner)? {
            attr.style = AttrStyle::Outer;
            attrs.push(attr);
        }
        let body: TokenStream = content.parse()?;
        let last_statement = last_statement(&body);
        Ok(EntryFn {
            attrs,
            vis,
            sig,
            brace,
            body,
            last_statement,
        })
    }
}

/// The first and last token spans of the last `;`-separated chunk of `body`.
///
/// Statements that end in a block (`if`, `match`, `loop`) need no `;`, so the chunk can
/// hold more than one statement; its last token is still the body's last one.
fn last_statement(body: &TokenStream) -> (Span, Span) {
    let mut span = (Span::call_site(), Span::call_site());
    let mut in_statement = false;
    for tree in body.clone() {
        if !in_statement {
            span.0 = tree.span();
            in_statement = true;
        }
        span.1 = tree.span();
        if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ';') {
            in_statement = false;
        }
    }
    span
}

/// Whether `attr` is the built-in `#[test]`, under any of the paths that reach it.
pub(crate) fn is_test_attribute(attr: &Attribute) -> bool {
    let path = attr.path();
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    match segments.as_slice() {
        [test] => path.leading_colon.is_none() && test == "test",
        [krate, prelude, _edition, test] => {
            (krate == "core" || krate == "std") && prelude == "prelude" && test == "test"
        }
        _ => false,
    }
}
