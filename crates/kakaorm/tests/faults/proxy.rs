//! A TCP proxy owned by a test, between a pool and the real server, that can refuse new
//! connections, reset every open one, or freeze (keep sockets open and forward nothing).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward bytes both ways.
    Forward,
    /// Accept new connections and close them at once.
    Refuse,
    /// Keep every socket open and forward nothing, either way.
    Freeze,
}

#[derive(Debug, Clone, Copy)]
struct Control {
    mode: Mode,
    /// Bumped by [`Proxy::reset`]: connections opened before close with RST.
    resets: u64,
}

pub struct Proxy {
    pub addr: SocketAddr,
    control: watch::Sender<Control>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Listens on an ephemeral local port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (control, rx) = watch::channel(Control { mode: Mode::Forward, resets: 0 });
        let accept = tokio::spawn(accept_loop(listener, upstream, rx));
        Proxy { addr, control, accept }
    }

    pub fn set(&self, mode: Mode) {
        self.control.send_modify(|c| c.mode = mode);
    }

    /// Closes every connection open now with a TCP reset, on both sides.
    pub fn reset(&self) {
        self.control.send_modify(|c| c.resets += 1);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // Open connections end when the control channel closes.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, upstream: SocketAddr, control: watch::Receiver<Control>) {
    loop {
        let Ok((client, _)) = listener.accept().await else { continue };
        let now = *control.borrow();
        if now.mode == Mode::Refuse {
            drop(client);
            continue;
        }
        let control = control.clone();
        tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(upstream).await else { return };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            pipe(client, server, control, now.resets).await;
        });
    }
}

/// Closes a socket with RST instead of FIN.
fn reset(stream: TcpStream) {
    // A zero linger makes close send RST without blocking, which is the point here.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// Copies bytes both ways until either side closes, the proxy resets (RST to both sides)
/// or is dropped. While frozen, nothing is read, so nothing is forwarded.
async fn pipe(mut client: TcpStream, mut server: TcpStream, mut control: watch::Receiver<Control>, resets: u64) {
    let mut up = vec![0u8; 16 * 1024];
    let mut down = vec![0u8; 16 * 1024];
    loop {
        let now = *control.borrow_and_update();
        if now.resets != resets {
            reset(client);
            reset(server);
            return;
        }
        let flowing = now.mode != Mode::Freeze;
        tokio::select! {
            changed = control.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            read = client.read(&mut up), if flowing => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if server.write_all(&up[..n]).await.is_err() {
                        return;
                    }
                }
            },
            read = server.read(&mut down), if flowing => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if client.write_all(&down[..n]).await.is_err() {
                        return;
                    }
                }
            },
        }
    }
}

/// A proxy in front of the server of `url`, and `url` rewritten to go through it.
pub async fn in_front_of(url: &str) -> (Proxy, String) {
    let proxy = Proxy::start(upstream_of(url).await).await;
    let proxied = crate::support::with_host_port(url, proxy.addr);
    (proxy, proxied)
}

/// The address of the server `url` names.
pub async fn upstream_of(url: &str) -> SocketAddr {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find(['/', '?']).map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let default_port = if url.starts_with("mysql") || url.starts_with("mariadb") { 3306 } else { 5432 };
    let target = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:{default_port}") };
    tokio::net::lookup_host(&target)
        .await
        .ok()
        .and_then(|mut addrs| addrs.next())
        .unwrap_or_else(|| panic!("cannot resolve {target}"))
}
