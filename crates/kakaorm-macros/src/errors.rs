//! Collects every spanned error of one derive, so they are reported together.

use std::fmt::Display;

use proc_macro2::Span;

/// The errors found so far.
#[derive(Default)]
pub struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    /// Records an error.
    pub fn push(&mut self, err: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(err),
            None => self.first = Some(err),
        }
    }

    /// Records `message` at `span`.
    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records the error of `result`, if any, and returns its value.
    pub fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Every error combined (a generic one if, unexpectedly, none was recorded).
    pub fn into_error(self) -> syn::Error {
        self.first.unwrap_or_else(|| syn::Error::new(Span::call_site(), "invalid `#[derive(Model)]` input"))
    }
}
