//! Callback URLs the platform will accept: `https`, or plain `http` to a loopback host for
//! local development. Shared by FMU and bookings.

use super::error::{ProximusError, Result};

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
        if ipv6(address).is_none() {
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
        return ipv6(inner) == Some([0, 0, 0, 0, 0, 0, 0, 1]);
    }
    ipv4(&host).is_some_and(|octets| octets[0] == 127)
}

/// A dotted-quad IPv4 address (`std::net`'s parser would add ~4 KB to the wasm): four decimal
/// octets, no leading zeros.
fn ipv4(text: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let valid = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'));
        *octet = if valid {
            part.parse().ok()?
        } else {
            return None;
        };
    }
    parts.next().is_none().then_some(octets)
}

/// An IPv6 address as its eight groups: hex groups separated by `:`, at most one `::`, and an
/// optional dotted IPv4 tail.
fn ipv6(text: &str) -> Option<[u16; 8]> {
    fn groups(part: &str, out: &mut Vec<u16>) -> Option<()> {
        if part.is_empty() {
            return Some(());
        }
        let pieces: Vec<&str> = part.split(':').collect();
        for (i, piece) in pieces.iter().enumerate() {
            if i + 1 == pieces.len() && piece.contains('.') {
                let [a, b, c, d] = ipv4(piece)?;
                out.extend([u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])]);
            } else if (1..=4).contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_hexdigit())
            {
                out.push(u16::from_str_radix(piece, 16).ok()?);
            } else {
                return None;
            }
        }
        Some(())
    }
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let compressed = match text.split_once("::") {
        Some((before, after)) => {
            groups(before, &mut head)?;
            groups(after, &mut tail)?;
            true
        }
        None => {
            groups(text, &mut head)?;
            false
        }
    };
    let given = head.len() + tail.len();
    if (compressed && given > 7) || (!compressed && given != 8) || text.contains(":::") {
        return None;
    }
    let mut address = [0u16; 8];
    address[..head.len()].copy_from_slice(&head);
    address[8 - tail.len()..].copy_from_slice(&tail);
    Some(address)
}

#[cfg(test)]
mod address_tests {
    use super::{ipv4, ipv6};
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn agree_with_std_net() {
        let samples = [
            "::1",
            "::",
            "0:0:0:0:0:0:0:1",
            "::0:1",
            "1::",
            "fe80::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:127.0.0.1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            ":::1",
            "1:",
            ":1",
            "12345::",
            "g::1",
            "1:2:3:4:5:6:7::",
            "::1.2.3.4",
            "1.2.3.4",
            "",
            ":",
            "::1:",
            "127.0.0.1",
            "127.1",
            "256.0.0.1",
            "01.0.0.1",
            "1.2.3.4.5",
            "0.0.0.0",
            "1..2.3",
        ];
        for s in samples {
            assert_eq!(
                ipv6(s),
                s.parse::<Ipv6Addr>().ok().map(|a| a.segments()),
                "{s:?}"
            );
            assert_eq!(
                ipv4(s),
                s.parse::<Ipv4Addr>().ok().map(|a| a.octets()),
                "{s:?}"
            );
        }
    }
}
