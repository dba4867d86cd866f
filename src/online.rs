//! HTTPS GETs, bounded: the only code in brevet that touches the network,
//! and only when the user asks (`verify --online`).
//!
//! A [`Client`] fetches `https://` URLs only, trusting the usual web roots
//! (Mozilla's, compiled in) plus the certificate authorities a user adds
//! ([`Roots`]). Each fetch has [`Limits`]: the body is refused past its size
//! (never buffered beyond one byte more), and one deadline covers connecting,
//! redirects and the whole body. Redirects are followed only within the same
//! host (https, same host and port), at most [`MAX_REDIRECTS`]; any other is
//! refused before a connection is made to its target. Proxy variables
//! (`HTTPS_PROXY`, …) are ignored: the connection goes to the named host.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::http::{Uri, header};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// How many redirects one [`Client::get`] follows.
pub const MAX_REDIRECTS: u32 = 3;

/// Limits of one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Time for the whole fetch: connecting, redirects, the whole body.
    pub timeout: Duration,
}

/// Where trust in servers comes from: the usual web roots (webpki-roots),
/// plus extra PEM certificate authorities (a company proxy, tests).
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// PEM files' contents, each holding one or more certificates.
    pub extra_pem: Vec<Vec<u8>>,
}

/// Why a fetch, or setting up its client, failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is not `https://`; nothing was sent.
    #[error("{url}: not fetched: only https:// URLs are")]
    NotHttps {
        /// The URL asked for.
        url: String,
    },
    /// The URL cannot be parsed, or has no host.
    #[error("{url}: not a URL that can be fetched ({reason})")]
    BadUrl {
        /// The URL asked for.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No answer: the name does not resolve, the connection is refused or
    /// lost, or the TLS handshake fails (an untrusted certificate among them).
    #[error("{url}: the connection failed: {reason}")]
    Connect {
        /// The URL being fetched.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The deadline passed before the whole body arrived.
    #[error("{url}: no complete answer within {} s", .limit.as_secs_f64())]
    Timeout {
        /// The URL being fetched when time ran out.
        url: String,
        /// The time the fetch had ([`Limits::timeout`]).
        limit: Duration,
    },
    /// The server answered with a status other than 2xx (or a redirect
    /// without a usable `Location`).
    #[error("{url}: the server answered HTTP status {status}")]
    Status {
        /// The URL that answered.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// A redirect to another scheme, host or port: not followed.
    #[error(
        "{url}: redirects to {to}, not followed: only redirects within the same https host are"
    )]
    Redirect {
        /// The URL that redirected.
        url: String,
        /// Where it redirected to (as resolved, or as sent if unresolvable).
        to: String,
    },
    /// More redirects than [`MAX_REDIRECTS`].
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The number of redirects followed.
        limit: u32,
    },
    /// The body is larger than [`Limits::max_bytes`].
    #[error("{url}: the answer is larger than {limit} bytes")]
    TooLarge {
        /// The URL that answered.
        url: String,
        /// The limit it went past.
        limit: u64,
    },
    /// The answer was cut off or malformed.
    #[error("{url}: the answer could not be read: {reason}")]
    Read {
        /// The URL that answered.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// One of [`Roots::extra_pem`] holds no usable certificate.
    #[error("extra certificate authority file {number}: {reason}")]
    BadCertificateFile {
        /// Its place in [`Roots::extra_pem`], from 1.
        number: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// A client for one run (connection pool reused).
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    /// A client that trusts the web roots plus `roots.extra_pem`.
    ///
    /// # Errors
    /// [`FetchError::BadCertificateFile`] when an extra PEM holds no
    /// certificate, or one that cannot serve as a trust anchor.
    pub fn new(roots: &Roots) -> Result<Client, FetchError> {
        let mut certs: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()))
            .collect();
        for (i, pem) in roots.extra_pem.iter().enumerate() {
            let bad = |reason: String| FetchError::BadCertificateFile {
                number: i + 1,
                reason,
            };
            certs.extend(authorities(pem).map_err(bad)?);
        }
        let tls = TlsConfig::builder()
            .root_certs(RootCerts::Specific(Arc::new(certs)))
            .build();
        let agent = ureq::Agent::config_builder()
            .https_only(true)
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .tls_config(tls)
            .build()
            .new_agent();
        Ok(Client { agent })
    }

    /// GETs an https URL: HTTPS only (an http:// URL is refused without
    /// connecting), the whole body within `limits` (reading stops at
    /// `max_bytes + 1` and the body is refused, never buffered beyond),
    /// redirects followed only within the same host (scheme https, same host
    /// and port), at most [`MAX_REDIRECTS`]; any other redirect refused with
    /// its target named; a non-2xx status refused with the status. The
    /// timeout covers connecting, redirects and the whole response.
    ///
    /// # Errors
    /// A [`FetchError`] naming the URL, as above.
    pub fn get(&self, url: &str, limits: Limits) -> Result<Vec<u8>, FetchError> {
        let deadline = Instant::now().checked_add(limits.timeout);
        let mut current = https_uri(url)?;
        let mut redirects = 0;
        loop {
            let here = current.to_string();
            let timeout = |url: &str| FetchError::Timeout {
                url: url.to_owned(),
                limit: limits.timeout,
            };
            let remaining = match deadline {
                Some(d) => d.saturating_duration_since(Instant::now()),
                None => limits.timeout,
            };
            if remaining.is_zero() {
                return Err(timeout(&here));
            }
            let mut response = self
                .agent
                .get(current.clone())
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| match e {
                    ureq::Error::Timeout(_) => timeout(&here),
                    e => call_error(&here, e),
                })?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let refused = |to: &str| FetchError::Redirect {
                    url: here.clone(),
                    to: to.to_owned(),
                };
                let Some(location) = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                else {
                    return Err(FetchError::Status { url: here, status });
                };
                let next = resolve(&current, location).ok_or_else(|| refused(location))?;
                if !same_origin(&current, &next) {
                    return Err(refused(&next.to_string()));
                }
                if redirects == MAX_REDIRECTS {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_owned(),
                        limit: MAX_REDIRECTS,
                    });
                }
                redirects += 1;
                current = next;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status { url: here, status });
            }
            let too_large = |url: &str| FetchError::TooLarge {
                url: url.to_owned(),
                limit: limits.max_bytes,
            };
            if response
                .body()
                .content_length()
                .is_some_and(|n| n > limits.max_bytes)
            {
                return Err(too_large(&here));
            }
            return response
                .body_mut()
                .with_config()
                .limit(limits.max_bytes)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => too_large(&here),
                    ureq::Error::Timeout(_) => timeout(&here),
                    e => FetchError::Read {
                        url: here.clone(),
                        reason: reason(e),
                    },
                });
        }
    }
}

/// The certificates of one PEM file, each checked to be a usable authority.
fn authorities(pem: &[u8]) -> Result<Vec<Certificate<'static>>, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut out = Vec::new();
    for (i, der) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let der = der.map_err(|e| format!("certificate {} is not valid PEM: {e}", i + 1))?;
        rustls::RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| {
                let why = match e {
                    rustls::Error::InvalidCertificate(c) => c.to_string(),
                    e => e.to_string(),
                };
                format!("certificate {} cannot serve as an authority ({why})", i + 1)
            })?;
        out.push(Certificate::from_der(der.as_ref()).to_owned());
    }
    if out.is_empty() {
        return Err("no PEM certificate (-----BEGIN CERTIFICATE-----) in it".into());
    }
    Ok(out)
}

/// `url` parsed, if it is an absolute https URL with a host.
fn https_uri(url: &str) -> Result<Uri, FetchError> {
    let bad = |reason: &str| FetchError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let uri: Uri = url
        .parse()
        .map_err(|e: ureq::http::uri::InvalidUri| bad(&e.to_string()))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => {}
        Some(_) => {
            return Err(FetchError::NotHttps {
                url: url.to_owned(),
            });
        }
        None => return Err(bad("no scheme: an absolute https:// URL is needed")),
    }
    match uri.host() {
        Some(h) if !h.is_empty() => Ok(uri),
        _ => Err(bad("no host")),
    }
}

/// A redirect's `Location` resolved against the URL that sent it; `None`
/// when it does not make a URL.
fn resolve(base: &Uri, location: &str) -> Option<Uri> {
    let location = location.split('#').next().unwrap_or_default();
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    let absolute = if has_scheme(location) {
        location.to_owned()
    } else if location.starts_with("//") {
        format!("{scheme}:{location}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = base.path();
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        if location.starts_with('?') {
            format!("{scheme}://{authority}{path}{location}")
        } else {
            format!("{scheme}://{authority}{dir}{location}")
        }
    };
    let uri: Uri = absolute.parse().ok()?;
    uri.host().is_some().then_some(uri)
}

/// Whether `s` starts with a URI scheme (`letter *( letter / digit / "+" / "-" / "." ) ":"`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Same scheme (https), host and port.
fn same_origin(a: &Uri, b: &Uri) -> bool {
    let https = |u: &Uri| {
        u.scheme_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("https"))
    };
    let port = |u: &Uri| u.port_u16().unwrap_or(443);
    https(a)
        && https(b)
        && matches!((a.host(), b.host()), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y))
        && port(a) == port(b)
}

/// A failed request (before the body) as a [`FetchError`].
fn call_error(url: &str, error: ureq::Error) -> FetchError {
    let url = url.to_owned();
    match error {
        ureq::Error::BadUri(reason) => FetchError::BadUrl { url, reason },
        ureq::Error::RequireHttpsOnly(_) => FetchError::NotHttps { url },
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => FetchError::Read {
            url,
            reason: reason(error),
        },
        error => FetchError::Connect {
            url,
            reason: reason(error),
        },
    }
}

/// What went wrong, in words; certificate errors said as such.
fn reason(error: ureq::Error) -> String {
    match error {
        ureq::Error::Rustls(e) => tls_reason(&e),
        ureq::Error::HostNotFound => "the host name does not resolve".into(),
        ureq::Error::Io(e) => io_reason(&e),
        e => e.to_string(),
    }
}

fn io_reason(e: &io::Error) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(tls) => tls_reason(tls),
        None => e.to_string(),
    }
}

fn tls_reason(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(c) => {
            format!("the server's certificate is not trusted ({c})")
        }
        e => format!("TLS: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(base: &str, location: &str) -> Option<String> {
        let base: Uri = base.parse().unwrap();
        resolve(&base, location).map(|u| u.to_string())
    }

    #[test]
    fn locations_resolve_as_browsers_do() {
        let base = "https://a.example:8443/dir/doc.json?x=1";
        for (location, want) in [
            ("/other", "https://a.example:8443/other"),
            ("sibling.json", "https://a.example:8443/dir/sibling.json"),
            ("?y=2", "https://a.example:8443/dir/doc.json?y=2"),
            ("//b.example/x", "https://b.example/x"),
            ("https://c.example/y#frag", "https://c.example/y"),
            ("HTTP://a.example:8443/z", "http://a.example:8443/z"),
        ] {
            assert_eq!(
                resolved(base, location).as_deref(),
                Some(want),
                "{location}"
            );
        }
        assert_eq!(resolved(base, "https://"), None);
        assert_eq!(resolved(base, "https://exa mple/"), None);
    }

    #[test]
    fn only_https_on_the_same_host_and_port_is_the_same_origin() {
        let same = |a: &str, b: &str| same_origin(&a.parse().unwrap(), &b.parse().unwrap());
        assert!(same("https://a.example/x", "https://A.EXAMPLE:443/y"));
        assert!(!same("https://a.example/x", "http://a.example/x"));
        assert!(!same("https://a.example/x", "https://a.example:8443/x"));
        assert!(!same("https://a.example/x", "https://b.example/x"));
        assert!(!same("https://a.example/x", "https://a.example.evil/x"));
    }
}
