//! The `embed_migrations!` macro of kakaorm-migrate. Use it through `kakaorm_migrate`,
//! which re-exports it; the expansion names everything through `::kakaorm_migrate::` paths.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::LitStr;

/// Compiles the migrations directory at `path` (relative to the crate's `Cargo.toml`,
/// `"migrations"` when omitted) into the binary, as a `kakaorm_migrate::EmbeddedMigrations`.
/// See `kakaorm_migrate::embed_migrations!` for the documentation.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let dir = match input.is_empty() {
        true => LitStr::new("migrations", Span::call_site()),
        false => match syn::parse::<LitStr>(input) {
            Ok(lit) => lit,
            Err(e) => return e.to_compile_error().into(),
        },
    };
    match expand(&dir) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The migration directories under `dir`, sorted, as (name, up.sql path, down.sql path).
fn migrations(root: &Path, lit: &LitStr) -> syn::Result<Vec<(String, PathBuf, PathBuf)>> {
    let error = |msg: String| syn::Error::new(lit.span(), msg);
    let unreadable = |e: std::io::Error| error(format!("cannot read {:?} (relative to Cargo.toml): {e}", lit.value()));
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !path.is_dir() {
            continue;
        }
        if !is_migration_name(&name) {
            return Err(error(format!(
                "{name:?} is not a migration name: expected <UTC timestamp YYYYMMDDHHMMSS>_<letters, digits, _ or ->"
            )));
        }
        let file = |f: &str| {
            let p = path.join(f);
            match p.is_file() {
                true => Ok(p),
                false => Err(error(format!("migration {name} has no {f}"))),
            }
        };
        out.push((name.clone(), file("up.sql")?, file("down.sql")?));
    }
    out.sort();
    Ok(out)
}

/// `<14 digits>_<letters, digits, _ or ->`; the runtime check (`Migration::new`) also
/// parses the timestamp.
fn is_migration_name(name: &str) -> bool {
    let Some((version, label)) = name.split_once('_') else { return false };
    let label_ok = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    version.len() == 14
        && version.bytes().all(|b| b.is_ascii_digit())
        && !label.is_empty()
        && label.chars().all(label_ok)
}

fn expand(lit: &LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| syn::Error::new(lit.span(), "CARGO_MANIFEST_DIR is not set: build with cargo"))?;
    let root = Path::new(&manifest).join(lit.value());
    let items = migrations(&root, lit)?.into_iter().map(|(name, up, down)| {
        let (up, down) = (up.to_string_lossy().into_owned(), down.to_string_lossy().into_owned());
        quote! { ::kakaorm_migrate::EmbeddedMigration::new(#name, ::core::include_str!(#up), ::core::include_str!(#down)) }
    });
    Ok(quote! {
        ::kakaorm_migrate::EmbeddedMigrations::new(&[#(#items),*])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(tag: &str, subdirs: &[(&str, &[&str])]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("kakaorm-embed-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (sub, files) in subdirs {
            std::fs::create_dir_all(root.join(sub)).unwrap();
            for f in *files {
                std::fs::write(root.join(sub).join(f), "SELECT 1;").unwrap();
            }
        }
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("README"), "not a migration").unwrap();
        root
    }

    fn lit() -> LitStr {
        LitStr::new("migrations", Span::call_site())
    }

    #[test]
    fn lists_migration_directories_in_order() {
        let both: &[&str] = &["up.sql", "down.sql"];
        let root = dir("ok", &[("20260102000000_b", both), ("20260101000000_a-1", both), (".hidden", &[])]);
        let found = migrations(&root, &lit()).unwrap();
        let names: Vec<&str> = found.iter().map(|(n, ..)| n.as_str()).collect();
        assert_eq!(names, ["20260101000000_a-1", "20260102000000_b"]);
        assert!(found[0].1.ends_with("20260101000000_a-1/up.sql"));
        std::fs::remove_dir_all(root).unwrap();
    }

    /// Cargo rebuilds the crate when an included file changes: the expansion reads every
    /// `up.sql` and `down.sql` through `include_str!` (absolute paths), so each is a
    /// tracked input of the compilation.
    #[test]
    fn every_file_is_included_so_cargo_tracks_it() {
        let both: &[&str] = &["up.sql", "down.sql"];
        let root = dir("tracked", &[("20260101000000_a", both), ("20260102000000_b", both)]);
        let tokens = expand(&LitStr::new(&root.to_string_lossy(), Span::call_site())).unwrap().to_string();
        for m in ["20260101000000_a", "20260102000000_b"] {
            for f in both {
                let path = root.join(m).join(f).to_string_lossy().into_owned();
                assert!(tokens.contains(&format!("include_str ! ({path:?})")), "{path} is not included: {tokens}");
            }
        }
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn bad_names_and_missing_files_are_errors() {
        let both: &[&str] = &["up.sql", "down.sql"];
        for (tag, sub, files, says) in [
            ("name", "add users", both, "\"add users\" is not a migration name"),
            ("version", "2026_x", both, "\"2026_x\" is not a migration name"),
            ("down", "20260101000000_x", &["up.sql"][..], "migration 20260101000000_x has no down.sql"),
        ] {
            let root = dir(tag, &[(sub, files)]);
            let err = migrations(&root, &lit()).unwrap_err().to_string();
            assert!(err.starts_with(says), "{err}");
            std::fs::remove_dir_all(root).unwrap();
        }
        assert!(is_migration_name("20260101000000_a_b-c"));
        assert!(!is_migration_name("20260101000000_a.b"));
        assert!(!is_migration_name("2026010100000x_a"));
    }
}
