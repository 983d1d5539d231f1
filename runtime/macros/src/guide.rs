//! `guide!`: the guide's Markdown chapters as a doc-only module tree, so that rustdoc
//! publishes them and `cargo test --doc` runs their code blocks.
//!
//! ```text
//! guide! {
//!     pub mod guide from "docs/index.md";          // the module's own page
//!     chapter tasks from "docs/tasks.md";          // weft::guide::tasks
//!     link http to "https://docs.rs/…/guide/";     // a chapter published elsewhere
//!     link performance to weft::guide::performance; // … or in another crate's docs
//! }
//! ```
//!
//! Rules:
//!
//! 1. Paths are relative to the invoking crate's folder (`CARGO_MANIFEST_DIR`), so the
//!    files must be inside the package for `cargo package` to carry them.
//! 2. The chapters keep relative links to each other (`[x](tasks.md#names)`), which is
//!    what GitHub resolves. In the module's docs each link to a bare `name.md` becomes
//!    the chapter's module (`crate::guide::tasks#names`, an intra-doc link rustdoc
//!    checks) or the `link` target; a link to a `name.md` that is neither is a compile
//!    error, so a broken link cannot be published. Links inside fenced code blocks and
//!    any other link are left as written.
//! 3. The invocation belongs at the crate root: links are written as `crate::<module>`.
//! 4. Each module also `include_str!`s its file, so that editing a chapter rebuilds the
//!    crate (a proc macro's own reads are not tracked).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Path, Token, Visibility};

/// What a link to another chapter's file becomes in rustdoc.
enum Target {
    /// An item path, as an intra-doc link: `weft::guide::performance`.
    Item(Path),
    /// A URL.
    Url(LitStr),
}

/// One `link name to target;` line.
struct Link {
    name: Ident,
    target: Target,
}

/// One `chapter name from "file";` line.
struct Chapter {
    name: Ident,
    file: LitStr,
}

/// The whole invocation.
struct Guide {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    file: LitStr,
    chapters: Vec<Chapter>,
    links: Vec<Link>,
}

/// Parses the contextual keyword `word` (`from`, `to`).
fn keyword(input: ParseStream<'_>, word: &str) -> syn::Result<()> {
    let ident: Ident = input.parse()?;
    if ident == word {
        Ok(())
    } else {
        Err(syn::Error::new(ident.span(), format!("expected `{word}`")))
    }
}

impl Parse for Guide {
    fn parse(input: ParseStream<'_>) -> syn::Result<Guide> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        input.parse::<Token![mod]>()?;
        let name: Ident = input.parse()?;
        keyword(input, "from")?;
        let file: LitStr = input.parse()?;
        input.parse::<Token![;]>()?;
        let mut chapters = Vec::new();
        let mut links = Vec::new();
        while !input.is_empty() {
            let kind: Ident = input.parse()?;
            if kind == "chapter" {
                let name: Ident = input.parse()?;
                keyword(input, "from")?;
                let file: LitStr = input.parse()?;
                chapters.push(Chapter { name, file });
            } else if kind == "link" {
                let name: Ident = input.parse()?;
                keyword(input, "to")?;
                let target = if input.peek(LitStr) {
                    Target::Url(input.parse()?)
                } else {
                    Target::Item(input.parse()?)
                };
                links.push(Link { name, target });
            } else {
                return Err(syn::Error::new(
                    kind.span(),
                    "expected `chapter name from \"file.md\";` or `link name to target;`",
                ));
            }
            input.parse::<Token![;]>()?;
        }
        Ok(Guide {
            attrs,
            vis,
            name,
            file,
            chapters,
            links,
        })
    }
}

/// `path` as rustdoc reads it: `weft::guide::performance`.
fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let prefix = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{prefix}{}", segments.join("::"))
}

/// The stem of a file path: `docs/tasks.md` → `tasks`.
fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Rewrites every inline link to a bare `name.md` (with an optional `#fragment`)
/// outside fenced code blocks through `resolve`; `Err` names the first link it could
/// not resolve.
pub(crate) fn rewrite_links(
    text: &str,
    resolve: impl Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find("](") {
            let (before, after) = rest.split_at(open + 2);
            out.push_str(before);
            let end = after.find(')').unwrap_or(after.len());
            let target = &after[..end];
            let (file, fragment) = match target.find('#') {
                Some(hash) => target.split_at(hash),
                None => (target, ""),
            };
            let bare_chapter = file.strip_suffix(".md").filter(|name| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            match bare_chapter {
                Some(name) => match resolve(name) {
                    Some(resolved) => {
                        out.push_str(&resolved);
                        out.push_str(fragment);
                    }
                    None => return Err(target.to_string()),
                },
                None => out.push_str(target),
            }
            rest = &after[end..];
        }
        out.push_str(rest);
    }
    Ok(out)
}

/// The expansion of `guide!`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<Guide>(input).and_then(|guide| generate(&guide)) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

/// Reads `file` (relative to the crate's folder), rewrites its links, and returns the
/// text and the absolute path for `include_str!`.
fn chapter_text(
    file: &LitStr,
    resolve: &impl Fn(&str) -> Option<String>,
) -> syn::Result<(String, String)> {
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| syn::Error::new(file.span(), "CARGO_MANIFEST_DIR is not set"))?;
    let path = std::path::Path::new(&dir).join(file.value());
    let text = std::fs::read_to_string(&path).map_err(|err| {
        syn::Error::new(
            file.span(),
            format!("cannot read {}: {err}", path.display()),
        )
    })?;
    let text = rewrite_links(&text, resolve).map_err(|link| {
        syn::Error::new(
            file.span(),
            format!(
                "{} links to `{link}`, which is neither a chapter of this guide nor a \
                 `link` line",
                file.value()
            ),
        )
    })?;
    Ok((text, path.display().to_string()))
}

fn generate(guide: &Guide) -> syn::Result<TokenStream> {
    let module = &guide.name;
    let root = format!("crate::{module}");
    let resolve = |name: &str| -> Option<String> {
        if name == stem(&guide.file.value()) {
            return Some(root.clone());
        }
        if let Some(chapter) = guide.chapters.iter().find(|c| c.name == name) {
            return Some(format!("{root}::{}", chapter.name));
        }
        guide
            .links
            .iter()
            .find(|link| link.name == name)
            .map(|link| match &link.target {
                Target::Item(path) => path_text(path),
                Target::Url(url) => url.value(),
            })
    };
    let (root_text, root_path) = chapter_text(&guide.file, &resolve)?;
    let mut chapters = Vec::new();
    for chapter in &guide.chapters {
        let (text, path) = chapter_text(&chapter.file, &resolve)?;
        let name = &chapter.name;
        chapters.push(quote! {
            #[doc = #text]
            pub mod #name {
                const _: &str = include_str!(#path);
            }
        });
    }
    let attrs = &guide.attrs;
    let vis = &guide.vis;
    let root_text = LitStr::new(&root_text, Span::call_site());
    Ok(quote! {
        #(#attrs)*
        #[doc = #root_text]
        #vis mod #module {
            const _: &str = include_str!(#root_path);
            #(#chapters)*
        }
    })
}

#[cfg(test)]
mod tests {
    use super::rewrite_links;

    fn chapters(name: &str) -> Option<String> {
        ["tasks", "time"]
            .contains(&name)
            .then(|| format!("crate::guide::{name}"))
    }

    #[test]
    fn links_to_chapters_become_items_and_keep_their_fragment() {
        let text = "See [tasks](tasks.md) and [timeouts](time.md#timeouts-move).\n";
        assert_eq!(
            rewrite_links(text, chapters).unwrap(),
            "See [tasks](crate::guide::tasks) and \
             [timeouts](crate::guide::time#timeouts-move).\n"
        );
    }

    #[test]
    fn other_links_and_code_blocks_are_left_as_written() {
        let text = "[site](https://example.com) [up](../README.md) [f](f(x))\n\
                    ```text\n[x](nowhere.md)\n```\n";
        assert_eq!(rewrite_links(text, chapters).unwrap(), text);
    }

    #[test]
    fn a_link_to_an_unknown_chapter_is_an_error() {
        let text = "[gone](gone.md#part)\n";
        assert_eq!(rewrite_links(text, chapters).unwrap_err(), "gone.md#part");
    }
}
