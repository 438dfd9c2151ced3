//! The language of validation messages: English or Japanese, set for the program (and
//! per database handle by the `kakaorm` crate).

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{Error, ErrorKind};

/// A language validation messages are written in.
///
/// ```
/// use kakaorm_core::validate::Locale;
/// assert_eq!("ja".parse::<Locale>().ok(), Some(Locale::Ja));
/// assert_eq!("EN-us".parse::<Locale>().ok(), Some(Locale::En));
/// let err = "fr".parse::<Locale>().unwrap_err();
/// assert_eq!(err.to_string(), "configuration error: unsupported locale `fr`: messages exist in en and ja");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Locale {
    /// The language code (`en`, `ja`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
        }
    }
}

impl AsRef<str> for Locale {
    fn as_ref(&self) -> &str {
        self.code()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = Error;

    /// Parses a language tag; only its language part counts (`ja-JP` is Japanese).
    fn from_str(tag: &str) -> Result<Self, Error> {
        let lang = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match lang.as_str() {
            "en" => Ok(Locale::En),
            "ja" => Ok(Locale::Ja),
            _ => Err(Error::new(ErrorKind::Config, format!("unsupported locale `{tag}`: messages exist in en and ja"))),
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of validation messages for the whole program. Parse a tag from
/// configuration with [`str::parse`], which rejects an unsupported locale.
///
/// ```
/// use kakaorm_core::validate::{Locale, locale, set_locale};
/// set_locale("ja".parse()?);
/// assert_eq!(locale(), Locale::Ja);
/// set_locale(Locale::En);
/// # Ok::<(), kakaorm_core::Error>(())
/// ```
pub fn set_locale(locale: Locale) {
    let n = match locale {
        Locale::En => 0,
        Locale::Ja => 1,
    };
    CURRENT.store(n, Ordering::Relaxed);
}

/// The language validation messages are written in now.
pub fn locale() -> Locale {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Locale::Ja,
        _ => Locale::En,
    }
}

/// What a message may mention besides the field.
#[derive(Default)]
pub(crate) struct Extras<'a> {
    pub min: Option<&'a serde_json::Value>,
    pub max: Option<&'a serde_json::Value>,
    pub pattern: Option<&'a str>,
    pub choices: Option<&'a [serde_json::Value]>,
}

fn shown(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// The message of a built-in rule about `field`, in `locale`.
pub(crate) fn message(locale: Locale, rule: &str, field: &str, x: &Extras<'_>) -> String {
    let (min, max, pattern) = (shown(x.min), shown(x.max), x.pattern.unwrap_or(""));
    let choices = x.choices.map(|c| c.iter().map(|v| shown(Some(v))).collect::<Vec<_>>().join(", "));
    let choices = choices.unwrap_or_default();
    match (locale, rule) {
        (Locale::En, "required") => format!("{field} is required"),
        (Locale::En, "min_length") => format!("{field} must be at least {min} characters long"),
        (Locale::En, "max_length") => format!("{field} must be at most {max} characters long"),
        (Locale::En, "min_value") => format!("{field} must be at least {min}"),
        (Locale::En, "max_value") => format!("{field} must be at most {max}"),
        (Locale::En, "regex") => format!("{field} must match the pattern {pattern}"),
        (Locale::En, "one_of") => format!("{field} must be one of: {choices}"),
        (Locale::En, "email") => format!("{field} must be a valid email address"),
        (Locale::En, "url") => format!("{field} must be a valid URL"),
        (Locale::Ja, "required") => format!("{field}は必須です"),
        (Locale::Ja, "min_length") => format!("{field}は{min}文字以上で入力してください"),
        (Locale::Ja, "max_length") => format!("{field}は{max}文字以内で入力してください"),
        (Locale::Ja, "min_value") => format!("{field}は{min}以上にしてください"),
        (Locale::Ja, "max_value") => format!("{field}は{max}以下にしてください"),
        (Locale::Ja, "regex") => format!("{field}はパターン {pattern} に一致しません"),
        (Locale::Ja, "one_of") => format!("{field}は次のいずれかにしてください: {choices}"),
        (Locale::Ja, "email") => format!("{field}は有効なメールアドレスではありません"),
        (Locale::Ja, "url") => format!("{field}は有効なURLではありません"),
        (Locale::En, _) => format!("{field} is invalid"),
        (Locale::Ja, _) => format!("{field}が正しくありません"),
    }
}
