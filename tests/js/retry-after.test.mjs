// Retry-After in all three HTTP-date forms of RFC 9110 §5.6.7 is waited for, through the built
// package and a `fetch` that answers as a throttled platform would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPackage } from "./helpers.mjs";

const { ProximusClient } = await loadPackage();

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n) => String(n).padStart(2, "0");
const clock = (d) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
const FORMS = {
  "IMF-fixdate": (d) => d.toUTCString(),
  "RFC 850": (d) =>
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${clock(d)} GMT`,
  asctime: (d) =>
    `${DAYS[d.getUTCDay()].slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${clock(d)} ${d.getUTCFullYear()}`,
};

for (const [form, write] of Object.entries(FORMS)) {
  test(`a Retry-After in the ${form} form is waited for`, async () => {
    let calls = 0;
    const delays = [];
    const fetch = async () => {
      calls += 1;
      if (calls === 1) {
        const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000); // 2 to 3 s ahead, whole seconds
        return new Response('{"fault":{"code":900800,"message":"Message throttled out"}}', {
          status: 503,
          headers: { "retry-after": write(at), "content-type": "application/json" },
        });
      }
      return new Response('{"msisdn":"32477121212","isError":false,"status":"PRIVATE"}', { status: 200 });
    };
    const client = new ProximusClient({ accessToken: "a-permanent-token", fetch, onRetry: ({ delayMs }) => delays.push(delayMs) });
    const started = Date.now();
    const status = await client.fmu.getStatus("0477 12 12 12");
    assert.equal(status.status, "PRIVATE");
    assert.equal(calls, 2);
    assert.equal(delays.length, 1);
    // Full-jitter backoff would wait under 250 ms: this is the server's date.
    assert.ok(delays[0] >= 1000 && delays[0] <= 3000, `waited ${delays[0]} ms`);
    assert.ok(Date.now() - started >= 1000, "the wait happened");
  });
}
