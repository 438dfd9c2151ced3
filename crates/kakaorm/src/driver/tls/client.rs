//! rustls client configurations for each TLS mode, with the ring provider. PostgreSQL
//! uses them whole; MySQL (through mysql_async's own) only checks its CA file here.
#![cfg_attr(not(feature = "postgres"), allow(dead_code))]

use std::sync::Arc;

use kakaorm_core::{Error, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::{TlsMode, TlsParams};

/// The client configuration for `tls`, built once per pool.
///
/// # Errors
/// [`Config`](kakaorm_core::ErrorKind::Config) when the CA file cannot be read or holds no
/// certificate.
pub(crate) fn client_config(tls: &TlsParams) -> Result<Arc<ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |e: &dyn std::fmt::Display| Error::config(format!("tls: {e}"));
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(&e))?;
    let algorithms = provider.signature_verification_algorithms;
    let builder = match tls.mode {
        TlsMode::VerifyFull => builder.with_root_certificates(roots(tls)?),
        TlsMode::VerifyCa => {
            let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots(tls)?), provider)
                .build()
                .map_err(|e| tls_error(&e))?;
            builder.dangerous().with_custom_certificate_verifier(Arc::new(Lenient { chain: Some(chain), algorithms }))
        }
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(Lenient { chain: None, algorithms }))
        }
    };
    Ok(Arc::new(builder.with_no_client_auth()))
}

/// The CA certificates of the URL's CA file, or the Mozilla root set without one.
///
/// # Errors
/// [`Config`](kakaorm_core::ErrorKind::Config) when the file cannot be read or holds no
/// certificate.
pub(crate) fn roots(tls: &TlsParams) -> Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    let Some(path) = &tls.ca_file else {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(store);
    };
    let bad = |why: &dyn std::fmt::Display| Error::config(format!("tls: CA file `{}`: {why}", path.display()));
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(&e))?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(&e))?;
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(bad(&"no PEM certificate in it"));
    }
    Ok(store)
}

/// The verifier of the modes that accept more than a fully valid certificate: with
/// `chain`, the chain must lead to a trusted CA but the host name is not compared
/// (`verify-ca`); without it, any certificate is accepted (`prefer`, `require`, as in
/// libpq). Handshake signatures are checked either way.
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // The name is compared after the chain verified, so a name error means a good chain.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(e)) if is_name_mismatch(&e) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn is_name_mismatch(e: &CertificateError) -> bool {
    matches!(e, CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. })
}
