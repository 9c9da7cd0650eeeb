//! What the client tells the application's logger (`logger`, `logLevel`), and how a request is
//! named in a log line or an error message: method, host, and a path whose numbers are masked.
//!
//! Lines are built only when their level is on, and hold no secret: requests are named by
//! [`shown_path`], errors by their messages (already scrubbed of secrets and numbers).

use std::rc::Rc;

use super::errors::{ProximusError, Result};
use super::transport::HttpRequest;

/// How much is logged, from nothing to every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Requests that finally failed.
    Error,
    /// And each retry with its reason (the default).
    Warn,
    /// And tokens obtained or refused.
    Info,
    /// And one line per request and one per answer.
    Debug,
}

impl LogLevel {
    /// The level named `name` (`"off"`, `"error"`, `"warn"`, `"info"`, `"debug"`).
    pub fn parse(name: &str) -> Result<LogLevel> {
        Ok(match name {
            "off" => LogLevel::Off,
            "error" => LogLevel::Error,
            "warn" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            _ => {
                return Err(ProximusError::invalid(
                    "logLevel must be \"off\", \"error\", \"warn\", \"info\" or \"debug\"",
                ))
            }
        })
    }

    /// The logger method a line of this level goes to.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

/// Where lines go: the application's logger.
pub type LogSink = Rc<dyn Fn(LogLevel, &str)>;

/// A logger and the level it gets lines from.
#[derive(Clone)]
pub struct Log {
    level: LogLevel,
    sink: Option<LogSink>,
}

impl Default for Log {
    /// Nothing logged (natively there is no console to default to).
    fn default() -> Self {
        Log {
            level: LogLevel::Warn,
            sink: None,
        }
    }
}

impl Log {
    /// Lines up to `level` go to `sink`.
    pub fn new(level: LogLevel, sink: Option<LogSink>) -> Self {
        Log { level, sink }
    }

    /// Whether lines of `level` are written.
    pub fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off && level <= self.level && self.sink.is_some()
    }

    /// Writes the line `line` builds, if `level` is on.
    pub fn write(&self, level: LogLevel, line: impl FnOnce() -> String) {
        if let Some(sink) = self.sink.as_ref().filter(|_| self.enabled(level)) {
            sink(level, &format!("proximus-api: {}", line()));
        }
    }
}

/// `GET /fmu/1.0.0/status?msisdn=•••••••••12`: the request as a line or a message names it.
pub fn shown_request(request: &HttpRequest) -> String {
    format!("{} {}", request.method.as_str(), shown_path(&request.url))
}

/// An absolute URL without its scheme: `host[:port]/path?query`.
fn after_scheme(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

/// The host (and port) of an absolute URL.
pub fn host(url: &str) -> &str {
    let rest = after_scheme(url);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// The path and query of an absolute URL, each run of 6 or more digits masked but for its last
/// two: phone numbers and ids stay out of logs and messages.
pub fn shown_path(url: &str) -> String {
    let rest = after_scheme(url);
    let path = rest.find(['/', '?']).map_or("/", |at| &rest[at..]);
    let mut out = String::with_capacity(path.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 6 {
            out.extend(std::iter::repeat_n('•', digits.len() - 2));
            out.push_str(&digits[digits.len() - 2..]);
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in path.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::{host, shown_path};

    #[test]
    fn paths_keep_their_shape_and_lose_their_numbers() {
        let url = "http://127.0.0.1:8787/fmu/1.0.0/status?msisdn=32477121212,32477121213";
        assert_eq!(host(url), "127.0.0.1:8787");
        assert_eq!(
            shown_path(url),
            "/fmu/1.0.0/status?msisdn=•••••••••12,•••••••••13"
        );
        assert_eq!(
            shown_path("https://api.enco.io/rentednumbers/1.0.0/bookings/1234567?page=0"),
            "/rentednumbers/1.0.0/bookings/•••••67?page=0"
        );
        assert_eq!(shown_path("https://h"), "/");
    }
}
