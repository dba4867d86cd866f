//! `brevet::online` against a real HTTPS server on loopback
//! (`support/https.rs`), trusted through the test certificate authority of
//! `tests/data/tls/`. Nothing here reaches beyond 127.0.0.1.

#[path = "support/https.rs"]
mod https;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use brevet::online::{Client, FetchError, Limits, MAX_REDIRECTS, Roots};
use https::{Reply, Server};

const LIMITS: Limits = Limits {
    max_bytes: 64 * 1024,
    timeout: Duration::from_secs(5),
};

fn client() -> Client {
    Client::new(&Roots {
        extra_pem: vec![https::ca_pem()],
    })
    .expect("the test CA is a valid root")
}

fn route(path: &str, reply: Reply) -> (String, Reply) {
    (path.to_owned(), reply)
}

#[test]
fn a_file_is_fetched_byte_for_byte() {
    let body: Vec<u8> = (0..=255u8).cycle().take(40_000).collect();
    let server = Server::start(vec![route(
        "/.well-known/did.json",
        Reply::File(body.clone()),
    )]);
    let got = client()
        .get(&server.url("/.well-known/did.json"), LIMITS)
        .expect("fetched");
    assert_eq!(got, body);
    assert_eq!(server.requests(), ["/.well-known/did.json"]);
}

#[test]
fn a_body_of_exactly_the_limit_is_accepted() {
    let body = vec![7u8; 1000];
    let server = Server::start(vec![route("/x", Reply::File(body.clone()))]);
    let limits = Limits {
        max_bytes: 1000,
        ..LIMITS
    };
    assert_eq!(
        client().get(&server.url("/x"), limits).expect("fetched"),
        body
    );
}

#[test]
fn http_is_refused_without_a_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let url = format!("http://127.0.0.1:{port}/.well-known/did.json");
    let err = client().get(&url, LIMITS).expect_err("http refused");
    assert!(
        matches!(&err, FetchError::NotHttps { url: u } if *u == url),
        "{err:?}"
    );
    assert!(err.to_string().contains(&url), "{err}");
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a connection was made: {accepted:?}"
    );
}

#[test]
fn a_url_that_is_not_one_is_refused() {
    for url in ["", "localhost/x", "https://", "https://exa mple.org/"] {
        let err = client().get(url, LIMITS).expect_err(url);
        assert!(matches!(err, FetchError::BadUrl { .. }), "{url:?}: {err:?}");
    }
}

#[test]
fn without_the_test_ca_the_certificate_is_not_trusted() {
    let server = Server::start(vec![route("/x", Reply::File(b"{}".to_vec()))]);
    let url = server.url("/x");
    let err = Client::new(&Roots::default())
        .expect("web roots")
        .get(&url, LIMITS)
        .expect_err("untrusted");
    assert!(matches!(&err, FetchError::Connect { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("the server's certificate is not trusted") && message.contains(&url),
        "{message}"
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn a_bad_certificate_file_is_named() {
    let roots = Roots {
        extra_pem: vec![https::ca_pem(), b"not a certificate".to_vec()],
    };
    let err = Client::new(&roots).expect_err("bad PEM");
    assert!(
        matches!(&err, FetchError::BadCertificateFile { number: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("file 2"), "{err}");
}

#[test]
fn a_404_is_refused_with_its_status() {
    let server = Server::start(vec![]);
    let url = server.url("/missing.json");
    let err = client().get(&url, LIMITS).expect_err("404");
    assert!(
        matches!(&err, FetchError::Status { status: 404, url: u } if *u == url),
        "{err:?}"
    );
    assert!(err.to_string().contains("404"), "{err}");
}

#[test]
fn a_redirect_within_the_same_host_is_followed() {
    let server = Server::start(vec![
        route("/old", Reply::Redirect("/new".into())),
        route("/new", Reply::Redirect("newest?v=2".into())),
        route("/newest?v=2", Reply::File(b"here".to_vec())),
    ]);
    let got = client().get(&server.url("/old"), LIMITS).expect("followed");
    assert_eq!(got, b"here");
    assert_eq!(server.requests(), ["/old", "/new", "/newest?v=2"]);
}

#[test]
fn a_redirect_to_another_port_of_the_same_host_is_refused() {
    let target = Server::start(vec![route("/b", Reply::File(b"b".to_vec()))]);
    let server = Server::start(vec![route("/a", Reply::Redirect(target.url("/b")))]);
    let err = client()
        .get(&server.url("/a"), LIMITS)
        .expect_err("other port");
    assert!(
        matches!(&err, FetchError::Redirect { to, .. } if *to == target.url("/b")),
        "{err:?}"
    );
    assert!(target.requests().is_empty(), "{:?}", target.requests());
}

#[test]
fn a_redirect_to_another_host_is_refused_before_any_connection() {
    let server = Server::start(vec![route(
        "/.well-known/did.json",
        Reply::Redirect("https://example.org/x".into()),
    )]);
    let url = server.url("/.well-known/did.json");
    let err = client().get(&url, LIMITS).expect_err("refused");
    assert!(
        matches!(&err, FetchError::Redirect { to, url: u } if to == "https://example.org/x" && *u == url),
        "{err:?}"
    );
    assert!(err.to_string().contains("https://example.org/x"), "{err}");
}

#[test]
fn a_redirect_to_http_on_the_same_host_is_refused() {
    let server = Server::start(vec![route(
        "/a",
        Reply::Redirect("http://localhost/a".into()),
    )]);
    let err = client()
        .get(&server.url("/a"), LIMITS)
        .expect_err("refused");
    assert!(matches!(&err, FetchError::Redirect { .. }), "{err:?}");
    assert_eq!(server.requests(), ["/a"]);
}

#[test]
fn three_redirects_are_followed_and_a_fourth_is_refused() {
    let hops = |n: usize| -> Vec<(String, Reply)> {
        let mut routes: Vec<_> = (0..n)
            .map(|i| route(&format!("/{i}"), Reply::Redirect(format!("/{}", i + 1))))
            .collect();
        routes.push(route(&format!("/{n}"), Reply::File(b"end".to_vec())));
        routes
    };
    assert_eq!(MAX_REDIRECTS, 3);
    let three = Server::start(hops(3));
    assert_eq!(
        client().get(&three.url("/0"), LIMITS).expect("3 hops"),
        b"end"
    );

    let four = Server::start(hops(4));
    let url = four.url("/0");
    let err = client().get(&url, LIMITS).expect_err("4 hops");
    assert!(
        matches!(&err, FetchError::TooManyRedirects { url: u, limit: 3 } if *u == url),
        "{err:?}"
    );
    assert_eq!(four.requests(), ["/0", "/1", "/2", "/3"]);
}

#[test]
fn an_endless_body_stops_at_the_limit() {
    let server = Server::start(vec![route("/big", Reply::Endless)]);
    let limits = Limits {
        max_bytes: 100_000,
        ..LIMITS
    };
    let start = Instant::now();
    let err = client()
        .get(&server.url("/big"), limits)
        .expect_err("too large");
    assert!(
        matches!(&err, FetchError::TooLarge { limit: 100_000, .. }),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_declared_length_over_the_limit_is_refused() {
    let server = Server::start(vec![route("/big", Reply::File(vec![1; 1001]))]);
    let limits = Limits {
        max_bytes: 1000,
        ..LIMITS
    };
    let err = client()
        .get(&server.url("/big"), limits)
        .expect_err("too large");
    assert!(
        matches!(&err, FetchError::TooLarge { limit: 1000, .. }),
        "{err:?}"
    );
}

#[test]
fn a_slow_answer_times_out() {
    let server = Server::start(vec![route(
        "/slow",
        Reply::Slow(b"late".to_vec(), Duration::from_secs(4)),
    )]);
    let limits = Limits {
        timeout: Duration::from_secs(1),
        ..LIMITS
    };
    let start = Instant::now();
    let err = client()
        .get(&server.url("/slow"), limits)
        .expect_err("timeout");
    let took = start.elapsed();
    assert!(matches!(&err, FetchError::Timeout { .. }), "{err:?}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(err.to_string().contains("1 s"), "{err}");
}

#[test]
fn a_slow_answer_within_the_timeout_arrives() {
    let server = Server::start(vec![route(
        "/slow",
        Reply::Slow(b"late".to_vec(), Duration::from_millis(300)),
    )]);
    let got = client().get(&server.url("/slow"), LIMITS).expect("in time");
    assert_eq!(got, b"late");
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let url = format!("https://localhost:{port}/x");
    let err = client().get(&url, LIMITS).expect_err("refused");
    assert!(matches!(&err, FetchError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains(&url), "{err}");
}
