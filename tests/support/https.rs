//! A loopback HTTPS server for tests of `brevet::online`: `127.0.0.1` on a
//! free port, a certificate for `localhost` and `127.0.0.1` issued by the
//! test certificate authority of `tests/data/tls/` (see its README), minimal
//! HTTP/1.1 (one request per connection, `Connection: close`), one thread per
//! connection. Include it with `#[path = "support/https.rs"] mod https;`.

#![allow(dead_code)] // each test crate uses the part it needs

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA_PEM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/tls/ca.pem"
));
const LEAF_PEM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/tls/localhost.pem"
));
const LEAF_KEY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/tls/localhost.key"
));

/// How long an `Endless` reply streams at most if the client never leaves.
const ENDLESS_FOR_AT_MOST: Duration = Duration::from_secs(60);

/// The test certificate authority's certificate (PEM), the one that issued
/// the server's.
pub fn ca_pem() -> Vec<u8> {
    CA_PEM.to_vec()
}

/// What the server answers on a path.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with these bytes.
    File(Vec<u8>),
    /// 302 to this `Location`, as written.
    Redirect(String),
    /// This status, empty body.
    Status(u16),
    /// 200: sends the headers (with the body's length), waits, then the body.
    Slow(Vec<u8>, Duration),
    /// 200 without a length: streams bytes until the client goes away (or
    /// [`ENDLESS_FOR_AT_MOST`] passes).
    Endless,
    /// For a route ending with `/`: the files under this folder, read at
    /// each request (a web site being published), 404 when missing.
    Dir(std::path::PathBuf),
}

/// A running server; it stops when dropped.
pub struct Server {
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server answering `routes` (path, e.g.
    /// `/.well-known/did.json`, to reply); any other path gets a 404.
    ///
    /// # Panics
    /// When the port cannot be opened or the test certificate not loaded.
    pub fn start(routes: Vec<(String, Reply)>) -> Server {
        let config = Arc::new(server_config());
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let routes: Arc<HashMap<String, Reply>> = Arc::new(routes.into_iter().collect());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (config, routes, requests) = (
                        Arc::clone(&config),
                        Arc::clone(&routes),
                        Arc::clone(&requests),
                    );
                    thread::spawn(move || {
                        // A client that gives up (a refused certificate, a
                        // timeout, a size limit) ends its connection: not a
                        // server failure.
                        let _ = serve(stream, config, &routes, &requests);
                    });
                }
            })
        };
        Server {
            port,
            requests,
            stop,
            accept: Some(accept),
        }
    }

    /// `https://localhost:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "https://localhost:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }

    /// The paths asked for so far, in order (request targets as sent).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn server_config() -> rustls::ServerConfig {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(LEAF_PEM)
        .collect::<Result<_, _>>()
        .expect("tests/data/tls/localhost.pem");
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("tests/data/tls/localhost.key");
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the test certificate and key")
}

/// One connection: the TLS handshake, one request, one reply.
/// The file `path` names under a [`Reply::Dir`] route, if there is one.
fn from_folder(routes: &HashMap<String, Reply>, path: &str) -> Option<Reply> {
    routes.iter().find_map(|(prefix, reply)| {
        let Reply::Dir(root) = reply else { return None };
        let rest = path.strip_prefix(prefix.as_str())?;
        if rest.split('/').any(|part| part.is_empty() || part == "..") {
            return None;
        }
        std::fs::read(root.join(rest)).ok().map(Reply::File)
    })
}

fn serve(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    routes: &HashMap<String, Reply>,
    requests: &Mutex<Vec<String>>,
) -> io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    tcp.set_write_timeout(Some(Duration::from_secs(10)))?;
    let conn = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let Some(path) = read_request(&mut tls)? else {
        return Ok(());
    };
    requests.lock().expect("requests lock").push(path.clone());
    let reply = routes
        .get(&path)
        .cloned()
        .or_else(|| from_folder(routes, &path))
        .unwrap_or(Reply::Status(404));
    match reply {
        Reply::File(body) => {
            head(&mut tls, 200, &[("Content-Length", body.len().to_string())])?;
            tls.write_all(&body)?;
        }
        Reply::Redirect(to) => {
            head(
                &mut tls,
                302,
                &[("Location", to), ("Content-Length", "0".into())],
            )?;
        }
        Reply::Status(status) => {
            head(&mut tls, status, &[("Content-Length", "0".into())])?;
        }
        Reply::Slow(body, wait) => {
            head(&mut tls, 200, &[("Content-Length", body.len().to_string())])?;
            tls.flush()?;
            thread::sleep(wait);
            tls.write_all(&body)?;
        }
        Reply::Dir(_) => {
            head(&mut tls, 404, &[("Content-Length", "0".into())])?;
        }
        Reply::Endless => {
            head(&mut tls, 200, &[])?;
            let chunk = [b'x'; 16 * 1024];
            let start = Instant::now();
            while start.elapsed() < ENDLESS_FOR_AT_MOST {
                tls.write_all(&chunk)?;
                tls.flush()?;
            }
        }
    }
    tls.conn.send_close_notify();
    tls.flush()?;
    tls.sock.shutdown(Shutdown::Write)
}

/// The request target of a `GET`, once the headers' blank line is read;
/// `None` when the client leaves first.
fn read_request(stream: &mut impl Read) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() > 16 * 1024 || stream.read(&mut byte)? == 0 {
            return Ok(None);
        }
        buf.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&buf);
    let line = text.lines().next().unwrap_or_default();
    Ok(line.split(' ').nth(1).map(str::to_owned))
}

fn head(stream: &mut impl Write, status: u16, headers: &[(&str, String)]) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    stream.write_all(out.as_bytes())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
