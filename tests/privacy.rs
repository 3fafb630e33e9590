//! The privacy promise: Upgrade Planner makes no network connection. A plan describes a
//! customer's infrastructure; it leaves the machine only as a file the user attaches.
//!
//! Checked two ways: no HTTP, TLS, WebSocket or other network-client crate is anywhere in the
//! dependency tree (`Cargo.lock`, which lists every crate of every target and feature set),
//! and the crate's own code never names the standard library's sockets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::rust_files;

/// Crates that speak HTTP, TLS, WebSocket, QUIC, SSH or DNS, or run servers.
const NETWORK_CRATES: &[&str] = &[
    // HTTP clients and their building blocks
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-tls",
    "hyper-rustls",
    "http-body",
    "http-body-util",
    "h2",
    "h3",
    "ureq",
    "attohttpc",
    "isahc",
    "surf",
    "http-client",
    "curl",
    "curl-sys",
    "ehttp",
    "minreq",
    "http_req",
    "awc",
    "actix-http",
    // TLS
    "rustls",
    "tokio-rustls",
    "rustls-native-certs",
    "rustls-platform-verifier",
    "webpki",
    "webpki-roots",
    "native-tls",
    "tokio-native-tls",
    "async-native-tls",
    "async-tls",
    "openssl",
    "openssl-sys",
    "boring",
    "boring-sys",
    "s2n-tls",
    "schannel",
    // WebSocket, QUIC, SSH, DNS
    "tungstenite",
    "tokio-tungstenite",
    "async-tungstenite",
    "websocket",
    "ws",
    "quinn",
    "quinn-proto",
    "ssh2",
    "libssh2-sys",
    "russh",
    "trust-dns-resolver",
    "hickory-resolver",
    "hickory-proto",
    // Servers
    "tiny_http",
    "axum",
    "warp",
    "actix-web",
    "rocket",
    "tide",
];

/// Names the standard library gives to network sockets and address lookup.
const SOCKET_NAMES: &[&str] = &[
    "std::net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "ToSocketAddrs",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every package name in the text of a `Cargo.lock`.
fn locked_packages(lock: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_package = false;
    for line in lock.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[[package]]";
            continue;
        }
        if in_package && let Some(rest) = line.strip_prefix("name = ") {
            names.push(rest.trim_matches('"').to_string());
        }
    }
    names
}

#[test]
fn no_network_crate_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock is committed");
    let packages = locked_packages(&lock);
    // The parser must have understood the file: the crate itself and its known
    // dependencies are there.
    for expected in ["upgrade-planner", "serde_json", "eframe", "printpdf"] {
        assert!(
            packages.iter().any(|p| p == expected),
            "Cargo.lock was not read correctly: {expected} missing from {} packages",
            packages.len()
        );
    }
    let found = network_crates(&packages);
    assert!(
        found.is_empty(),
        "network crates in Cargo.lock: {found:?}. Upgrade Planner promises never to connect \
         anywhere; find which dependency pulled them in (`cargo tree -i NAME`) and drop it or \
         turn off the feature"
    );
}

fn network_crates(packages: &[String]) -> Vec<&String> {
    packages
        .iter()
        .filter(|p| NETWORK_CRATES.contains(&p.as_str()))
        .collect()
}

fn socket_mentions(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for name in SOCKET_NAMES {
            if line.contains(name) {
                found.push((n + 1, *name));
            }
        }
    }
    found
}

#[test]
fn the_code_opens_no_sockets() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 20, "src/ was not read: {files:?}");
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, name) in socket_mentions(&text) {
            offenders.push(format!(
                "{}:{line}: {name}",
                file.strip_prefix(root()).unwrap_or(file).display()
            ));
        }
    }
    assert!(offenders.is_empty(), "sockets in src/: {offenders:#?}");
}

#[test]
fn the_checks_see_a_network_crate_and_a_socket() {
    // The checks above pass only if they look at the right things: the same functions catch
    // a lock file and code that break the promise.
    let lock = "version = 4\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"reqwest\"\nversion = \"0.12.0\"\ndependencies = [\n \"hyper\",\n]\n\n[metadata]\nname = \"hyper\"\n";
    let packages = locked_packages(lock);
    assert_eq!(packages, vec!["serde", "reqwest"]);
    assert_eq!(network_crates(&packages), vec!["reqwest"]);
    let code = "fn f() {\n    let s = std::net::TcpStream::connect(addr)?;\n}\n";
    assert_eq!(
        socket_mentions(code),
        vec![(2, "std::net"), (2, "TcpStream")]
    );
    assert!(socket_mentions("let n = networking_notes;").is_empty());
}
