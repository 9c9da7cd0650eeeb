// Signed callback URLs: a replay after the expiry is refused, and so is a URL whose expiry was
// moved; the secret never shows in what a refusal exposes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";

const { signCallbackUrl, verifyCallbackUrl } = await import("../../pkg/node.js");
const SECRET = "rel-callback-secret-7f3a9c2e41";

function refusal(url, secret = SECRET) {
  try {
    verifyCallbackUrl(url, secret);
  } catch (error) {
    return error;
  }
  assert.fail(`accepted ${url}`);
}

function assertNoSecret(error) {
  for (const text of [error.message, String(error), JSON.stringify(error), error.stack, inspect(error, { depth: 5, showHidden: true })]) {
    assert.ok(!String(text).includes(SECRET), `the secret leaked: ${text}`);
  }
}

test("a signed URL verifies until its expiry, and a replay after it is refused as expired", async () => {
  const expiresAt = new Date(Date.now() + 400);
  const url = signCallbackUrl("https://example.com/calls?listing=42", SECRET, { context: "listing-42", expiresAt });
  const first = verifyCallbackUrl(url, SECRET);
  assert.equal(first.context, "listing-42");
  assert.equal(first.expiresAt.getTime(), expiresAt.getTime());
  assert.equal(verifyCallbackUrl(url, SECRET).context, "listing-42", "a replay before the expiry still verifies");
  await new Promise((resolve) => setTimeout(resolve, 450));
  const error = refusal(url);
  assert.equal(error.code, "unauthorized");
  assert.match(error.message, /expired/);
  assertNoSecret(error);
});

test("moving the expiry, changing the context or signing with another secret breaks the signature", () => {
  const expiresAt = new Date(Date.now() + 60_000);
  const url = signCallbackUrl("https://example.com/calls", SECRET, { context: "listing-42", expiresAt });
  const moved = url.replace(/pxexp=\d+/, `pxexp=${expiresAt.getTime() + 86_400_000}`);
  assert.notEqual(moved, url);
  const context = url.replace("pxctx=listing-42", "pxctx=listing-43");
  assert.notEqual(context, url);
  for (const [bad, secret] of [[moved, SECRET], [context, SECRET], [url, `${SECRET}-other`]]) {
    const error = refusal(bad, secret);
    assert.equal(error.code, "unauthorized");
    assert.match(error.message, /signature/);
    assertNoSecret(error);
  }
});

test("a wrong signature is refused the same way wherever it differs (first or last character)", () => {
  const url = signCallbackUrl("https://example.com/calls", SECRET, { context: "c" });
  const sig = /pxsig=([^&]+)/.exec(url)[1];
  const flip = (c) => (c === "A" ? "B" : "A");
  const first = url.replace(`pxsig=${sig}`, `pxsig=${flip(sig[0])}${sig.slice(1)}`);
  const last = url.replace(`pxsig=${sig}`, `pxsig=${sig.slice(0, -1)}${flip(sig.at(-1))}`);
  const a = refusal(first);
  const b = refusal(last);
  assert.equal(a.code, "unauthorized");
  assert.equal(a.message, b.message, "the refusal says nothing about where the signature differs");
});
