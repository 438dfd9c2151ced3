//! TLS settings shared by the server backends: how much a URL insists on TLS, and which CA
//! it trusts. The rustls side lives in `tls/client.rs` (cargo feature `tls`).

#[cfg(feature = "tls")]
mod client;

use std::path::PathBuf;

#[cfg(all(feature = "tls", feature = "postgres"))]
pub(crate) use client::client_config;
#[cfg(all(feature = "tls", feature = "mysql"))]
pub(crate) use client::roots;

/// How much a connection insists on TLS (`sslmode` on PostgreSQL, `ssl-mode` on MySQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TlsMode {
    /// Plain text.
    #[default]
    Disable,
    /// TLS when the server offers it; any certificate is accepted.
    Prefer,
    /// TLS; any certificate is accepted.
    Require,
    /// TLS; the certificate must be signed by a trusted CA.
    VerifyCa,
    /// TLS; the certificate must be signed by a trusted CA and issued for the host.
    VerifyFull,
}

/// The TLS part of a server URL. Without the `tls` feature only `Disable` and `Prefer`
/// (plain text then) get this far, and the CA file is never read.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
pub(crate) struct TlsParams {
    pub(crate) mode: TlsMode,
    /// A PEM file of trusted CA certificates (`sslrootcert`, `ssl-ca`).
    pub(crate) ca_file: Option<PathBuf>,
}

impl TlsParams {
    /// Reads the mode named by the URL parameter `param` (`value`, one of the backend's
    /// `names`, in any ASCII case). A CA file without a mode means `VerifyCa`, and with
    /// `Require` too (libpq's rule): a CA given is a CA checked.
    ///
    /// # Errors
    /// The message names an unknown mode, or a mode that needs the `tls` feature.
    pub(crate) fn from_url(
        param: &str,
        value: Option<&str>,
        names: &[(&str, TlsMode)],
        ca_file: Option<PathBuf>,
    ) -> Result<Self, String> {
        let mode = match value {
            None if ca_file.is_some() => TlsMode::VerifyCa,
            None => TlsMode::Disable,
            Some(v) => {
                names.iter().find(|(name, _)| name.eq_ignore_ascii_case(v)).map(|(_, m)| *m).ok_or_else(|| {
                    let expected: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
                    format!("unknown {param} `{v}` (expected {})", expected.join(", "))
                })?
            }
        };
        let mode = if mode == TlsMode::Require && ca_file.is_some() { TlsMode::VerifyCa } else { mode };
        if cfg!(not(feature = "tls")) && !matches!(mode, TlsMode::Disable | TlsMode::Prefer) {
            return Err(format!(
                "{param}={} needs TLS, and kakaorm was built without its `tls` feature",
                value.unwrap_or("")
            ));
        }
        Ok(TlsParams { mode, ca_file })
    }
}

/// The message for a URL parameter the backend does not know.
pub(crate) fn unknown_param(key: &str, known: &[&str]) -> String {
    format!("unknown parameter `{key}` (expected one of {})", known.join(", "))
}
