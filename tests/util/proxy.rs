//! A TCP proxy between the bot and Synapse that can kill the bot at the very moment the
//! homeserver answers a given request: the request reaches Synapse and is carried out,
//! and the bot dies before it reads the answer (SIGKILL, sent when the answer's first
//! bytes come back). Everything else passes through untouched.
//!
//! The bot talks HTTP/1.1 to a loopback homeserver (no pipelining), so on one connection
//! the bytes that come back after a request are that request's answer.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request to kill the bot at: the first request whose line contains `needle`.
#[derive(Debug, Clone)]
struct Trap {
    needle: String,
    pid: u32,
}

#[derive(Debug, Default)]
struct State {
    upstream: Option<SocketAddr>,
    trap: Option<Trap>,
    /// Requests whose answers were cut off by a kill.
    sprung: u32,
}

pub struct Proxy {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Proxy {
    /// Listens now; forwards once [`Proxy::forward_to`] names the upstream (so that the
    /// homeserver can be configured with the proxy's address before it starts).
    pub async fn bind() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let state: Arc<Mutex<State>> = Arc::default();
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = shared.lock().expect("proxy state").upstream;
                if let Some(upstream) = upstream {
                    tokio::spawn(relay(client, upstream, shared.clone()));
                }
            }
        });
        Proxy { url, state }
    }

    /// Forwards to `upstream` (`http://ip:port`) from now on.
    pub fn forward_to(&self, upstream: &str) {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("an http://ip:port upstream");
        self.state.lock().expect("proxy state").upstream = Some(upstream);
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Kills process `pid` when the answer to the next request containing `needle` in
    /// its request line (e.g. "/createRoom") comes back; once.
    pub fn kill_at_answer(&self, needle: &str, pid: u32) {
        self.state.lock().expect("proxy state").trap = Some(Trap {
            needle: needle.to_owned(),
            pid,
        });
    }

    /// How many answers a kill has cut off.
    pub fn sprung(&self) -> u32 {
        self.state.lock().expect("proxy state").sprung
    }
}

async fn relay(client: TcpStream, upstream: SocketAddr, state: Arc<Mutex<State>>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    // The trap this connection's current request armed, if any.
    let armed: Arc<Mutex<Option<Trap>>> = Arc::default();

    let arming = armed.clone();
    let requests_state = state.clone();
    let requests = async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match client_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let chunk = &buffer[..n];
            let text = String::from_utf8_lossy(chunk);
            {
                let mut state = requests_state.lock().expect("proxy state");
                if let Some(trap) = &state.trap
                    && text
                        .lines()
                        .next()
                        .is_some_and(|line| line.contains(&trap.needle))
                {
                    *arming.lock().expect("armed") = state.trap.take();
                }
            }
            if server_write.write_all(chunk).await.is_err() {
                break;
            }
        }
    };
    let answers = async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match server_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let sprung = armed.lock().expect("armed").take();
            if let Some(trap) = sprung {
                // SAFETY: kill(2) with a pid and a signal number has no memory effects.
                unsafe {
                    libc::kill(trap.pid as libc::pid_t, libc::SIGKILL);
                }
                state.lock().expect("proxy state").sprung += 1;
                break;
            }
            if client_write.write_all(&buffer[..n]).await.is_err() {
                break;
            }
        }
    };
    // Either side closing ends the connection.
    tokio::select! {
        _ = requests => {}
        _ = answers => {}
    }
}
