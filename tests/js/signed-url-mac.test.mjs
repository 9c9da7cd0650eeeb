// The built package's callback-URL signatures equal an HMAC-SHA-256 computed by Node's own crypto
// over the documented message (src/core/callbacks/signed_urls.rs). The release wasm uses sha2's
// compact rounds while `cargo test` uses the unrolled ones: this is the check on what ships.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { loadPackage } from "./helpers.mjs";

const { signCallbackUrl, verifyCallbackUrl } = await loadPackage();

const SECRET = "s3cret-s3cret-s3cret-0123456789";

/** The message of the module's "Format" section, for a URL that is already canonical. */
function expectedSignature(url, context, expiresAt) {
  const contextPart = context === undefined ? "-" : `+${Buffer.byteLength(context)}:${context}`;
  const expiryPart = expiresAt === undefined ? "-" : String(expiresAt);
  const message = ["proximus-api/callback-url/v1", url, contextPart, expiryPart].join("\n");
  return createHmac("sha256", SECRET).update(message).digest("base64url");
}

const cases = [
  { url: "https://example.com/cb" },
  { url: "https://example.com/calls?listing=42", context: "listing-42" },
  { url: "https://example.com/calls?a=1&b=2", expiresAt: 1_893_456_000_000 },
  // Messages of several SHA-256 blocks (64 bytes each), and a multi-byte context.
  { url: `https://example.com/${"p".repeat(200)}?q=${"v".repeat(300)}`, context: "ü".repeat(100), expiresAt: 1 },
];

for (const { url, context, expiresAt } of cases) {
  test(`pxsig is Node's HMAC-SHA-256 (${url.length} chars, context ${context?.length ?? "none"})`, () => {
    const options = {};
    if (context !== undefined) options.context = context;
    if (expiresAt !== undefined) options.expiresAt = expiresAt;
    const signed = new URL(signCallbackUrl(url, SECRET, options));
    assert.equal(signed.searchParams.get("pxsig"), expectedSignature(url, context, expiresAt));
    if (expiresAt === undefined || expiresAt > Date.now()) {
      assert.equal(verifyCallbackUrl(signed.href, SECRET).context, context ?? null);
    }
  });
}
