//! What a MySQL URL may say beyond host, credentials and database (the names of the
//! `mysql` client's options).

use std::path::PathBuf;

use crate::driver::UrlRules;
use crate::driver::tls::{TlsMode, TlsParams, unknown_param};

/// Port 3306, user `root`, and the parameters of [`MyParams`].
pub(crate) const URL_RULES: UrlRules =
    UrlRules { default_port: 3306, default_user: "root", check_params: |params| MyParams::parse(params).map(drop) };

const KNOWN: &[&str] = &["ssl-mode", "ssl-ca", "max_allowed_packet"];

/// The `--ssl-mode` values of the `mysql` client (any case).
const SSL_MODES: &[(&str, TlsMode)] = &[
    ("DISABLED", TlsMode::Disable),
    ("PREFERRED", TlsMode::Prefer),
    ("REQUIRED", TlsMode::Require),
    ("VERIFY_CA", TlsMode::VerifyCa),
    ("VERIFY_IDENTITY", TlsMode::VerifyFull),
];

/// The query parameters of a MySQL URL (without the `tls` feature, nothing to act on).
#[derive(Debug, Default)]
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
pub(crate) struct MyParams {
    pub(crate) tls: TlsParams,
    /// `max_allowed_packet`: the client's own packet limit in bytes, like the `mysql`
    /// client's option of that name. The smaller of it and the server's bounds what one
    /// statement sends (a bulk update's JSON document) and the rows read.
    pub(crate) max_packet: Option<usize>,
}

impl MyParams {
    /// Reads the parameters.
    ///
    /// # Errors
    /// The message names an unknown parameter or `ssl-mode`.
    pub(crate) fn parse(params: &[(String, String)]) -> Result<Self, String> {
        let (mut mode, mut ca_file, mut max_packet) = (None, None, None);
        for (key, value) in params {
            match key.as_str() {
                "ssl-mode" => mode = Some(value.as_str()),
                "ssl-ca" => ca_file = Some(PathBuf::from(value)),
                "max_allowed_packet" => max_packet = Some(packet_bytes(value)?),
                other => return Err(unknown_param(other, KNOWN)),
            }
        }
        Ok(MyParams { tls: TlsParams::from_url("ssl-mode", mode, SSL_MODES, ca_file)?, max_packet })
    }

    /// mysql_async's TLS options for these parameters (none: plain text).
    #[cfg(feature = "tls")]
    pub(crate) fn ssl_opts(&self) -> kakaorm_core::Result<Option<mysql_async::SslOpts>> {
        use mysql_async::SslOpts;
        let ssl = match self.tls.mode {
            TlsMode::Disable => return Ok(None),
            TlsMode::Prefer | TlsMode::Require => SslOpts::default().with_danger_accept_invalid_certs(true),
            TlsMode::VerifyCa => SslOpts::default().with_danger_skip_domain_validation(true),
            TlsMode::VerifyFull => SslOpts::default(),
        };
        let Some(ca) = &self.tls.ca_file else { return Ok(Some(ssl)) };
        // Fail here, with a Config error, on a CA file that cannot serve.
        crate::driver::tls::roots(&self.tls)?;
        Ok(Some(ssl.with_root_certs(vec![ca.clone().into()]).with_disable_built_in_roots(true)))
    }
}

/// The range the server accepts for `max_allowed_packet`: 1 KiB to 1 GiB.
const PACKET_BYTES: std::ops::RangeInclusive<usize> = 1024..=1 << 30;

/// A `max_allowed_packet` value, in bytes.
fn packet_bytes(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if PACKET_BYTES.contains(&n) => Ok(n),
        _ => Err(format!("max_allowed_packet must be a number of bytes from 1024 to 1073741824, not `{value}`")),
    }
}
