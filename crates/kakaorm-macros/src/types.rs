//! What a field type looks like syntactically, before the compiler resolves it.
//!
//! The derive cannot see through type aliases, so a shape is only a hint: checks on it
//! reject types that are certainly wrong, and leave unknown names to const assertions
//! that the compiler evaluates on the resolved type.

use syn::{GenericArgument, PathArguments, Type};

/// The column family a type name certainly denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// `i16`, `i32` or `i64`.
    Int(IntWidth),
    /// `f32` or `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `String`.
    Text,
    /// `Vec<u8>`.
    Bytes,
    /// `NaiveDate`.
    Date,
    /// `NaiveTime`.
    Time,
    /// `NaiveDateTime`.
    Timestamp,
    /// `DateTime<_>`.
    TimestampTz,
    /// `Decimal`.
    Decimal,
    /// `Uuid`.
    Uuid,
    /// `serde_json::Value`.
    Json,
}

/// The width of a known integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntWidth {
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl IntWidth {
    /// Whether `value` fits.
    pub fn fits(self, value: i64) -> bool {
        match self {
            IntWidth::I16 => i16::try_from(value).is_ok(),
            IntWidth::I32 => i32::try_from(value).is_ok(),
            IntWidth::I64 => true,
        }
    }

    /// The Rust name.
    pub fn name(self) -> &'static str {
        match self {
            IntWidth::I16 => "i16",
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
        }
    }
}

/// A field type as written: whether it is `Option<_>`, and what the inner type is, if the
/// name is one the derive knows.
#[derive(Clone, Copy)]
pub struct Shape<'a> {
    /// Whether the type is written `Option<T>`.
    pub optional: bool,
    /// `T` for `Option<T>`, else the type itself.
    pub inner: &'a Type,
    /// The family `inner` certainly has; `None` for other names (aliases, user types).
    pub known: Option<Known>,
}

impl<'a> Shape<'a> {
    /// Inspects `ty`.
    pub fn of(ty: &'a Type) -> Self {
        let (optional, inner) = match option_inner(ty) {
            Some(inner) => (true, inner),
            None => (false, ty),
        };
        Shape { optional, inner, known: known(inner) }
    }

    /// Whether the type is certainly not of a family accepted by `ok`.
    pub fn certainly_not(&self, ok: impl Fn(Known) -> bool) -> bool {
        self.known.is_some_and(|k| !ok(k))
    }
}

fn strip_groups(mut ty: &Type) -> &Type {
    while let Type::Group(g) = ty {
        ty = &g.elem;
    }
    while let Type::Paren(p) = ty {
        ty = &p.elem;
    }
    ty
}

/// The last segment of a path type and its generic arguments.
fn last_segment(ty: &Type) -> Option<(String, Vec<&Type>, usize)> {
    let Type::Path(p) = strip_groups(ty) else {
        return None;
    };
    if p.qself.is_some() {
        return None;
    }
    let seg = p.path.segments.last()?;
    let args = match &seg.arguments {
        PathArguments::None => Vec::new(),
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        PathArguments::Parenthesized(_) => return None,
    };
    Some((seg.ident.to_string(), args, p.path.segments.len()))
}

/// `T` when `ty` is written `Option<T>` (or `std::option::Option<T>`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    match last_segment(ty)? {
        (name, args, _) if name == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

fn known(ty: &Type) -> Option<Known> {
    let (name, args, segments) = last_segment(ty)?;
    let plain = args.is_empty();
    let k = match name.as_str() {
        "i16" if plain => Known::Int(IntWidth::I16),
        "i32" if plain => Known::Int(IntWidth::I32),
        "i64" if plain => Known::Int(IntWidth::I64),
        "f32" | "f64" if plain => Known::Float,
        "bool" if plain => Known::Bool,
        "String" if plain => Known::Text,
        "NaiveDate" if plain => Known::Date,
        "NaiveTime" if plain => Known::Time,
        "NaiveDateTime" if plain => Known::Timestamp,
        "DateTime" => Known::TimestampTz,
        "Decimal" if plain => Known::Decimal,
        "Uuid" if plain => Known::Uuid,
        "Value" if plain && segments > 1 && is_serde_json(ty) => Known::Json,
        "Vec" if args.len() == 1 && last_segment(args[0]).is_some_and(|(n, a, _)| n == "u8" && a.is_empty()) => {
            Known::Bytes
        }
        _ => return None,
    };
    Some(k)
}

fn is_serde_json(ty: &Type) -> bool {
    let Type::Path(p) = strip_groups(ty) else {
        return false;
    };
    p.path.segments.iter().any(|s| s.ident == "serde_json")
}

/// The type as it reads in docs and messages: `Option<String>`, `DateTime<Utc>`.
pub fn display(ty: &Type) -> String {
    let raw = quote::quote!(#ty).to_string();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let glue_prev = matches!(prev, Some('<' | '&' | ':' | '(' | '['));
            let glue_next = matches!(next, Some('<' | '>' | ',' | ':' | ')' | ']'));
            if glue_prev || glue_next {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn shape_of(ty: Type) -> (bool, Option<Known>) {
        let s = Shape::of(&ty);
        (s.optional, s.known)
    }

    #[test]
    fn recognises_known_types_through_option() {
        assert_eq!(shape_of(parse_quote!(i32)), (false, Some(Known::Int(IntWidth::I32))));
        assert_eq!(shape_of(parse_quote!(Option<String>)), (true, Some(Known::Text)));
        assert_eq!(shape_of(parse_quote!(std::option::Option<i64>)), (true, Some(Known::Int(IntWidth::I64))));
        assert_eq!(shape_of(parse_quote!(chrono::DateTime<Utc>)), (false, Some(Known::TimestampTz)));
        assert_eq!(shape_of(parse_quote!(Vec<u8>)), (false, Some(Known::Bytes)));
        assert_eq!(shape_of(parse_quote!(serde_json::Value)), (false, Some(Known::Json)));
        assert_eq!(shape_of(parse_quote!(rust_decimal::Decimal)), (false, Some(Known::Decimal)));
    }

    #[test]
    fn unknown_names_stay_unknown() {
        assert_eq!(shape_of(parse_quote!(MyAlias)), (false, None));
        assert_eq!(shape_of(parse_quote!(Value)), (false, None));
        assert_eq!(shape_of(parse_quote!(Vec<i32>)), (false, None));
        assert_eq!(shape_of(parse_quote!(Option<MyAlias>)), (true, None));
        assert_eq!(shape_of(parse_quote!(HashMap<String, i32>)), (false, None));
    }

    #[test]
    fn displays_types_compactly() {
        assert_eq!(display(&parse_quote!(Option<String>)), "Option<String>");
        assert_eq!(display(&parse_quote!(chrono::DateTime<Utc>)), "chrono::DateTime<Utc>");
        assert_eq!(display(&parse_quote!(HashMap<String, i32>)), "HashMap<String, i32>");
        assert_eq!(display(&parse_quote!(Vec<u8>)), "Vec<u8>");
    }
}
