// Bulk and tokens: FMU setStatuses of 1,000 numbers with the sandbox's latency set (request count
// and wall time against the ideal round trips), and 1,000 concurrent calls from a fresh client
// (how many /token requests they cause).
import { performance } from "node:perf_hooks";

const DEFAULT_CONCURRENCY = 4; // the library's default for setStatuses/getStatuses (README)
const CHUNK = 50;

/** 1,000 distinct Belgian mobiles (324 + 8 digits). */
const numbers = (n) => Array.from({ length: n }, (_, i) => String(32479000000 + i));

export async function bulkSetStatuses(pkg, box, { latencyMs, count = 1000 }) {
  await box.reset();
  const client = new pkg.ProximusClient({ ...box.credentials, baseUrl: box.url });
  await client.tokens.get(); // the token is not part of the measure
  await box.clearRequests();
  await box.config({ latencyMs });
  let progressCalls = 0;
  const t0 = performance.now();
  const result = await client.fmu.setStatuses(numbers(count), "PROFESSIONAL", {
    callbackUrl: `${box.receiverUrl}/fmu`,
    onProgress: () => { progressCalls++; },
  });
  const wallMs = performance.now() - t0;
  await box.config({ latencyMs: 0 });
  const sent = await box.requests();
  const chunks = Math.ceil(count / CHUNK);
  const idealRoundTrips = Math.ceil(chunks / DEFAULT_CONCURRENCY);
  return {
    numbers: count,
    latencyMs,
    concurrency: DEFAULT_CONCURRENCY,
    requests: sent.length,
    expectedRequests: chunks,
    fmuPuts: sent.filter((r) => r.method === "PUT" && r.path === "/fmu/1.0.0/status").length,
    failedChunks: result.failedChunks,
    resultTotal: result.total,
    progressCalls,
    wallMs,
    idealRoundTrips,
    idealMs: idealRoundTrips * latencyMs,
    pass: sent.length === chunks && result.failedChunks === 0 && result.total === count,
  };
}

export async function concurrentTokens(pkg, box, { calls = 1000, latencyMs = 0 }) {
  await box.reset();
  await box.config({ latencyMs });
  const client = new pkg.ProximusClient({ ...box.credentials, baseUrl: box.url });
  const t0 = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: calls }, () => client.fmu.getStatus("32477121212")));
  const wallMs = performance.now() - t0;
  await box.config({ latencyMs: 0 });
  const failed = settled.filter((s) => s.status === "rejected");
  const tokenRequests = (await box.requests("/token")).length;
  return {
    calls,
    latencyMs,
    tokenRequests,
    failedCalls: failed.length,
    firstError: failed[0] ? String(failed[0].reason?.code ?? failed[0].reason) : null,
    wallMs,
    pass: tokenRequests === 1 && failed.length === 0,
  };
}
