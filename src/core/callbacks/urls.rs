//! Callback URLs the platform will accept: `https`, or plain `http` to a loopback host for
//! local development. Shared by FMU and bookings.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::core::errors::{ProximusError, Result};

/// Longest callback URL accepted.
pub const MAX_CALLBACK_URL_LEN: usize = 2048;

/// The callback URL, trimmed, if the platform will accept it: an absolute `https` URL with a
/// host, or plain `http` to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) for local
/// development; no spaces or control characters, a valid port, at most 2048 characters.
/// `invalid_argument` saying what is wrong otherwise (the URL itself is not repeated: it may
/// carry credentials).
pub fn check_callback_url(url: &str) -> Result<String> {
    let bad = |why: &str| ProximusError::invalid(format!("callback URL: {why}"));
    let url = url.trim();
    if url.is_empty() {
        return Err(bad("it is empty"));
    }
    if url.len() > MAX_CALLBACK_URL_LEN {
        return Err(bad(&format!(
            "it is longer than {MAX_CALLBACK_URL_LEN} characters"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            "it contains spaces or control characters (percent-encode them)",
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad(
            "it must be an absolute URL such as https://example.com/fmu",
        ));
    };
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(bad("it must be an https URL")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = split_host(host_port).map_err(|why| bad(&why))?;
    if !https && !is_loopback(host) {
        return Err(bad(
            "it must use https (plain http only to localhost, 127.0.0.0/8 or [::1])",
        ));
    }
    Ok(url.to_string())
}

/// The host of `host[:port]`, checked.
pub(crate) fn split_host(host_port: &str) -> std::result::Result<&str, String> {
    let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
        let Some((address, after)) = inner.split_once(']') else {
            return Err("its IPv6 host has no closing ']'".into());
        };
        if address.parse::<Ipv6Addr>().is_err() {
            return Err("its host is not a valid IPv6 address".into());
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("unexpected text after its IPv6 host")?,
            ),
        };
        (
            host_port.get(..address.len() + 2).unwrap_or(host_port),
            port,
        )
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err("it has no host".into());
    }
    if !host.starts_with('[') {
        if !host.is_ascii() {
            return Err("write an internationalized host name in its punycode (xn--) form".into());
        }
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err("its host name contains characters not allowed there".into());
        }
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        let valid = port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65_535);
        if !valid {
            return Err("its port is not a number from 0 to 65535".into());
        }
    }
    Ok(host)
}

/// `localhost`, `127.0.0.0/8` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "localhost." {
        return true;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>() == Ok(Ipv6Addr::LOCALHOST);
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}
