//! What a PostgreSQL URL may say beyond host, credentials and database (libpq's names).

use std::path::PathBuf;

use crate::driver::UrlRules;
use crate::driver::tls::{TlsMode, TlsParams, unknown_param};

/// Port 5432, user `postgres`, and the parameters of [`PgParams`].
pub(crate) const URL_RULES: UrlRules =
    UrlRules { default_port: 5432, default_user: "postgres", check_params: |params| PgParams::parse(params).map(drop) };

const KNOWN: &[&str] = &["application_name", "options", "sslmode", "sslrootcert"];

/// libpq's `sslmode` values (`allow`, plain first, is plain here).
const SSLMODES: &[(&str, TlsMode)] = &[
    ("disable", TlsMode::Disable),
    ("allow", TlsMode::Disable),
    ("prefer", TlsMode::Prefer),
    ("require", TlsMode::Require),
    ("verify-ca", TlsMode::VerifyCa),
    ("verify-full", TlsMode::VerifyFull),
];

/// The query parameters of a PostgreSQL URL.
#[derive(Debug, Default)]
pub(crate) struct PgParams {
    pub(crate) application_name: Option<String>,
    pub(crate) options: Option<String>,
    pub(crate) tls: TlsParams,
}

impl PgParams {
    /// Reads the parameters.
    ///
    /// # Errors
    /// The message names an unknown parameter or `sslmode`.
    pub(crate) fn parse(params: &[(String, String)]) -> Result<Self, String> {
        let mut out = PgParams::default();
        let (mut sslmode, mut ca_file) = (None, None);
        for (key, value) in params {
            match key.as_str() {
                "application_name" => out.application_name = Some(value.clone()),
                "options" => out.options = Some(value.clone()),
                "sslmode" => sslmode = Some(value.as_str()),
                "sslrootcert" => ca_file = Some(PathBuf::from(value)),
                other => return Err(unknown_param(other, KNOWN)),
            }
        }
        out.tls = TlsParams::from_url("sslmode", sslmode, SSLMODES, ca_file)?;
        Ok(out)
    }
}
