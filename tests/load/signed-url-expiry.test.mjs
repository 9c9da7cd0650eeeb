// Issue 9: "signed callback URLs reject replay after expiry". The Rust tests (tests/signing.rs)
// check expiry with an injected clock; these check it through the built package, where
// verifyCallbackUrl reads the real clock (it takes no `now` option): a URL verified once is
// refused when it is replayed after its expiry, however often, and extending pxexp by hand breaks
// the signature. (Constant-time comparison: core::sha256::constant_time_eq, an OR-fold over every
// byte with no early exit, used by verify_callback_url; a timing test through JS would measure
// the HMAC, not the comparison, so it is not attempted here.)
import { test } from "node:test";
import assert from "node:assert/strict";

const { signCallbackUrl, verifyCallbackUrl, ProximusError } = await import("../../pkg/node.js");
const SECRET = "load-test-secret-0123456789";

const refused = (url, pattern) => (err) => {
  assert.ok(err instanceof ProximusError, `not a ProximusError: ${err}`);
  assert.equal(err.code, "unauthorized");
  assert.equal(err.retryable, false);
  assert.match(err.message, pattern);
  assert.ok(!err.message.includes(SECRET));
  return true;
};

test("a signed URL verifies until its expiry, and a replay after it is refused", async () => {
  const expiresAt = new Date(Date.now() + 300);
  const url = signCallbackUrl("https://example.com/calls?listing=42", SECRET, { context: "bk_1", expiresAt });
  const ok = verifyCallbackUrl(url, SECRET);
  assert.deepEqual(ok, { url: "https://example.com/calls?listing=42", context: "bk_1", expiresAt });
  assert.deepEqual(verifyCallbackUrl(url, SECRET), ok, "verification is repeatable before expiry");
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now()) + 20));
  for (let replay = 0; replay < 3; replay++) {
    assert.throws(() => verifyCallbackUrl(url, SECRET), refused(url, new RegExp(`expired at ${expiresAt.toISOString()}`)));
  }
  // Moving the expiry forward by hand is a tampered URL.
  const extended = url.replace(/pxexp=\d+/, `pxexp=${Date.now() + 3_600_000}`);
  assert.notEqual(extended, url);
  assert.throws(() => verifyCallbackUrl(extended, SECRET), refused(extended, /signature does not match/));
  // Dropping the expiry too.
  const unbounded = url.replace(/&?pxexp=\d+/, "");
  assert.throws(() => verifyCallbackUrl(unbounded, SECRET), refused(unbounded, /signature does not match/));
});

test("a URL signed with an expiry already past is refused at once", () => {
  for (const expiresAt of [Date.now() - 1, new Date(Date.now() - 86_400_000), "2020-01-01T00:00:00Z"]) {
    const url = signCallbackUrl("https://example.com/calls", SECRET, { expiresAt });
    assert.throws(() => verifyCallbackUrl(url, SECRET), refused(url, /expired at/));
  }
});

test("the expiry is checked only after the signature: a wrong secret is a mismatch, not an expiry", () => {
  const url = signCallbackUrl("https://example.com/calls", SECRET, { expiresAt: Date.now() - 1000 });
  assert.throws(() => verifyCallbackUrl(url, "another-secret-0123456789"), refused(url, /signature does not match/));
});
