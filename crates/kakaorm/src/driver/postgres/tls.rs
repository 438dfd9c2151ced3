//! Opening PostgreSQL connections in plain text or through rustls, and sending cancel
//! requests the same way.

use std::future::Future;

use kakaorm_core::Result;
use tokio_postgres::config::SslMode;
use tokio_postgres::{CancelToken, Client, Config, Connection, NoTls, Socket};

use crate::driver::tls::{TlsMode, TlsParams};

/// How connections of one pool are opened. Cheap to clone.
#[derive(Clone)]
pub(crate) enum PgTls {
    Plain,
    #[cfg(feature = "tls")]
    Rustls(rustls_connect::MakeRustls),
}

impl PgTls {
    /// The connector for `tls`, and the `sslmode` tokio-postgres applies with it.
    ///
    /// # Errors
    /// `Config` when the CA file cannot serve.
    pub(crate) fn new(tls: &TlsParams) -> Result<(PgTls, SslMode)> {
        match tls.mode {
            TlsMode::Disable => Ok((PgTls::Plain, SslMode::Disable)),
            #[cfg(not(feature = "tls"))]
            // Without TLS support, `prefer` is plain text (`URL_RULES` refused the rest).
            _ => Ok((PgTls::Plain, SslMode::Disable)),
            #[cfg(feature = "tls")]
            mode => {
                let ssl_mode = if mode == TlsMode::Prefer { SslMode::Prefer } else { SslMode::Require };
                let config = crate::driver::tls::client_config(tls)?;
                Ok((PgTls::Rustls(rustls_connect::MakeRustls(config)), ssl_mode))
            }
        }
    }

    /// Opens a connection, drives it on a task of its own, and returns its client.
    pub(crate) async fn connect(&self, config: &Config) -> std::result::Result<Client, tokio_postgres::Error> {
        match self {
            PgTls::Plain => spawn(config.connect(NoTls).await?),
            #[cfg(feature = "tls")]
            PgTls::Rustls(tls) => spawn(config.connect(tls.clone()).await?),
        }
    }

    /// Asks the server to cancel the statement running on `token`'s connection.
    pub(crate) async fn cancel(&self, token: CancelToken) {
        let _ = match self {
            PgTls::Plain => token.cancel_query(NoTls).await,
            #[cfg(feature = "tls")]
            PgTls::Rustls(tls) => token.cancel_query(tls.clone()).await,
        };
    }
}

/// Drives a new connection on a task of its own; its client talks to it through a channel.
fn spawn<S>((client, connection): (Client, Connection<Socket, S>)) -> std::result::Result<Client, tokio_postgres::Error>
where
    Connection<Socket, S>: Future<Output = std::result::Result<(), tokio_postgres::Error>> + Send + 'static,
{
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            let error = crate::driver::describe(&e);
            tracing::warn!(target: "kakaorm::pool", %error, "postgres connection closed with an error");
        }
    });
    Ok(client)
}

/// tokio-postgres's TLS traits over tokio-rustls.
#[cfg(feature = "tls")]
mod rustls_connect {
    use std::future::Future;
    use std::io;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use rustls::ClientConfig;
    use rustls::pki_types::{InvalidDnsNameError, ServerName};
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
    use tokio_postgres::Socket;
    use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
    use tokio_rustls::TlsConnector;
    use tokio_rustls::client::TlsStream as RustlsStream;

    /// Makes a connector per connection, for the host it connects to.
    #[derive(Clone)]
    pub(crate) struct MakeRustls(pub(crate) Arc<ClientConfig>);

    /// Runs the handshake for one host.
    pub(crate) struct Connect {
        name: ServerName<'static>,
        connector: TlsConnector,
    }

    /// An encrypted connection.
    pub(crate) struct Stream(RustlsStream<Socket>);

    impl MakeTlsConnect<Socket> for MakeRustls {
        type Stream = Stream;
        type TlsConnect = Connect;
        type Error = InvalidDnsNameError;

        fn make_tls_connect(&mut self, host: &str) -> Result<Connect, InvalidDnsNameError> {
            let name = ServerName::try_from(host)?.to_owned();
            Ok(Connect { name, connector: TlsConnector::from(Arc::clone(&self.0)) })
        }
    }

    impl TlsConnect<Socket> for Connect {
        type Stream = Stream;
        type Error = io::Error;
        type Future = Pin<Box<dyn Future<Output = io::Result<Stream>> + Send>>;

        fn connect(self, socket: Socket) -> Self::Future {
            Box::pin(async move { self.connector.connect(self.name, socket).await.map(Stream) })
        }
    }

    impl TlsStream for Stream {
        /// No channel binding: SCRAM then authenticates without it, as libpq's default
        /// `channel_binding=prefer` allows; certificate checks guard the channel.
        fn channel_binding(&self) -> ChannelBinding {
            ChannelBinding::none()
        }
    }

    impl AsyncRead for Stream {
        fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_read(cx, buf)
        }
    }

    impl AsyncWrite for Stream {
        fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            Pin::new(&mut self.0).poll_write(cx, buf)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_flush(cx)
        }

        fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_shutdown(cx)
        }
    }
}
