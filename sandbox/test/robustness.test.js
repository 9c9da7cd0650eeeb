import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startSandbox } from "../index.js";
import { FMU, RN, call, silent } from "./helpers.js";

const P = "sandbox-permanent-token";

function raw(port, text) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (d) => { data += d; });
    socket.on("error", () => resolve(data));
    socket.on("close", () => resolve(data));
    socket.write(text, "latin1", () => setTimeout(() => socket.end(), 50));
  });
}

test("malformed-input matrix over a real socket: every answer is a 4xx with a contract body, and the server stays up", async () => {
  const warnings = [];
  const sb = await startSandbox({ logger: { warn: (m) => warnings.push(m) } });
  try {
    const base = sb.url;
    const json = { "content-type": "application/json" };
    const big = "x".repeat(64 * 1024 + 1);
    const matrix = [
      // [method, path, {body, headers, token}, status, style]
      ["GET", "/token", {}, 405, "oauth"],
      ["PUT", "/token", { body: "grant_type=client_credentials" }, 405, "oauth"],
      ["DELETE", "/revoke", {}, 405, "oauth"],
      ["POST", "/token", { body: big, headers: { "content-type": "application/x-www-form-urlencoded" } }, 413, "oauth"],
      ["POST", "/token", { body: "%%%&&&===", headers: { "content-type": "application/x-www-form-urlencoded" } }, 400, "oauth"],
      ["POST", "/token", { body: "\u0000\u0001binary", headers: { "content-type": "application/octet-stream" } }, 400, "oauth"],
      ["POST", `${FMU}/status`, { token: P }, 405, "service"],
      ["PATCH", `${FMU}/status`, { token: P, body: "{}" }, 405, "service"],
      ["PUT", `${FMU}/status`, { token: P }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: "{", headers: json }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: '{"msisdn":["32477121212"],"status":"PRIVATE"', headers: json }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: "\uFFFF\uD800", headers: json }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: '{"msisdn":{"0":"32477121212"},"status":"PRIVATE"}', headers: json }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: '{"__proto__":{"x":1},"msisdn":["32477121212"],"status":"NOPE"}', headers: json }, 400, "service"],
      ["PUT", `${FMU}/status`, { token: P, body: big, headers: json }, 413, "service"],
      ["GET", `${FMU}/status?msisdn=${"3".repeat(5000)}`, { token: P }, 400, "service"],
      ["GET", `${FMU}/status?msisdn=%FF%FE`, { token: P }, 400, "service"],
      ["POST", `${FMU}/callback`, { token: P, body: "null", headers: json }, 400, "service"],
      ["POST", `${FMU}/callback`, { token: P, body: '{"url":"javascript:alert(1)"}', headers: json }, 400, "service"],
      ["POST", `${RN}/bookings`, { token: P, body: "", headers: json }, 400, "service"],
      ["POST", `${RN}/bookings`, { token: P, body: "[1,2,3]", headers: json }, 400, "service"],
      ["POST", `${RN}/bookings`, { token: P, body: '{"destination":["32477121212"],"usagePlan":"SMALL","callback":"https://x.example"}', headers: json }, 400, "service"],
      ["POST", `${RN}/bookings`, { token: P, body: '{"destination":"32477121212","usagePlan":"SMALL","callback":"https://x.example","extra":' + "[".repeat(5000) + "]".repeat(5000) + "}", headers: json }, 201, "any"],
      ["POST", `${RN}/bookings`, { token: P, body: "destination=32477121212", headers: { "content-type": "application/x-www-form-urlencoded" } }, 400, "service"],
      ["POST", `${RN}/bookings`, { token: P, body: big, headers: json }, 413, "service"],
      ["PUT", `${RN}/bookings/bk_doesnotexist`, { token: P, body: "{}", headers: json }, 400, "service"],
      ["PUT", `${RN}/bookings/bk_doesnotexist`, { token: P, body: '{"usagePlan":"SMALL"}', headers: json }, 404, "service"],
      ["GET", `${RN}/bookings/%00%ZZ`, { token: P }, 404, "service"],
      ["GET", `${RN}/bookings/a/b/c`, { token: P }, 404, "service"],
      ["GET", `${RN}/bookings?size=99999999999999999999`, { token: P }, 400, "service"],
      ["GET", `${RN}/bookings?page=1e3`, { token: P }, 400, "service"],
      ["GET", `${RN}/cdr?from=2026-02-30T00:00:00Z`, { token: P }, 400, "service"],
      ["GET", `${RN}/cdr?to=%00`, { token: P }, 400, "service"],
      ["DELETE", `${RN}/cdr/cdr_x`, { token: P }, 405, "service"],
      ["GET", "/does/not/exist", {}, 404, "service"],
      ["GET", `${FMU}/status?msisdn=32477121212`, { headers: { authorization: "Bearer \u00ff\u00fe" } }, 401, "gateway"],
      ["POST", "/_sandbox/faults", { body: "{", headers: json }, 400, "service"],
      ["POST", "/_sandbox/calls", { body: big, headers: json }, 413, "service"],
    ];
    for (const [method, path, opts, status, style] of matrix) {
      const label = `${method} ${path.slice(0, 60)} ${String(opts.body ?? "").slice(0, 40)}`;
      const r = await call(fetch, method, path, { base, ...opts });
      assert.equal(r.status, status, label);
      if (style === "service") {
        assert.equal(typeof r.body?.code, "string", label);
        assert.equal(typeof r.body?.message, "string", label);
      } else if (style === "oauth") {
        assert.equal(typeof r.body?.error, "string", label);
        assert.equal(typeof r.body?.error_description, "string", label);
      } else if (style === "gateway") {
        assert.equal(typeof r.body?.fault?.code, "number", label);
      }
    }

    // Broken HTTP at the socket level: Node's parser answers 400 or closes; the process lives on.
    const garbage = [
      "GARBAGE\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",
      "POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /\x00\x01 HTTP/1.1\r\n\r\n",
      "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET http://[bad HTTP/1.1\r\nHost: x\r\n\r\n",
      `GET /${"a".repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (const text of garbage) {
      const answer = await raw(sb.port, text);
      assert.ok(answer === "" || /^HTTP\/1\.1 [45]\d\d/.test(answer), `${JSON.stringify(text.slice(0, 40))} → ${answer.slice(0, 40)}`);
    }
    const trace = await raw(sb.port, "TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(trace, /^HTTP\/1\.1 (400|405)/);

    // After the matrix a normal request still works.
    const ok = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { base, token: P });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { msisdn: "32477121212", isError: false, status: "PRIVATE" });
    assert.deepEqual(warnings, [], "no internal errors were logged");
  } finally {
    await sb.close();
  }
});

test("startSandbox: port 0, URL without trailing slash, close() resolves with keep-alive connections open", async () => {
  const sb = await startSandbox();
  assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(sb.url, `http://127.0.0.1:${sb.port}`);
  assert.equal((await fetch(`${sb.url}/`)).status, 200);
  const started = performance.now();
  await sb.close();
  assert.ok(performance.now() - started < 1000);
  await assert.rejects(fetch(`${sb.url}/`));
  await sb.close(); // idempotent
});
