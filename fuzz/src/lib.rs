//! Helpers shared by the fuzz targets: how an input file is cut into fields and into a script
//! of server answers. The test doubles (a scripted transport, a fake clock) are the crate's own,
//! `proximus_api::internals::testing`, shared with the integration tests.
//!
//! Inputs are text so that the committed seed corpus stays readable: `fuzz/corpus/<target>/`.

use std::hash::Hasher;

use proximus_api::HttpResponse;

/// The input as text (lossy: invalid UTF-8 becomes U+FFFD, so every input exercises something).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The first `n` lines of `text` (missing lines are empty) and the rest (after the n-th `\n`).
pub fn fields(text: &str, n: usize) -> (Vec<&str>, &str) {
    let mut out = Vec::with_capacity(n);
    let mut rest = text;
    for _ in 0..n {
        match rest.split_once('\n') {
            Some((line, tail)) => {
                out.push(line.strip_suffix('\r').unwrap_or(line));
                rest = tail;
            }
            None => {
                out.push(rest);
                rest = "";
            }
        }
    }
    (out, rest)
}

/// A stable hash (FNV-1a), to map any text onto a choice.
pub fn pick(text: &str, choices: usize) -> usize {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(text.as_bytes());
    (hasher.finish() % choices as u64) as usize
}

/// One scripted answer: `STATUS[ HEADER]` on the first line, the body after it; the header text
/// is both the answer's `Retry-After` and its `Date` (the platform's clock).
/// A first line that is no status maps to one of the statuses the core treats differently.
pub fn answer(block: &str) -> HttpResponse {
    let (head, body) = fields(block, 1);
    let head = head[0];
    let (status, retry_after) = match head.split_once(' ') {
        Some((s, r)) => (s, Some(r.to_string())),
        None => (head, None),
    };
    const STATUSES: [u16; 14] = [
        200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 429, 500, 503, 504,
    ];
    let status = status
        .trim()
        .parse::<u16>()
        .unwrap_or_else(|_| STATUSES[pick(status, STATUSES.len())]);
    HttpResponse {
        status,
        date: retry_after.clone(),
        retry_after,
        body: body.to_string(),
    }
}

/// The answers of a script (for `ScriptedTransport::script`): blocks separated by lines `---`.
pub fn script(text: &str) -> Vec<HttpResponse> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split("\n---\n").map(answer).collect()
}
