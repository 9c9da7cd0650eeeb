// The listings' call logs (KV keys `call:<listing>:<call id>`). A call event is kept only when
// the platform's own call record confirms it: the signed callback URL keeps out whoever knows
// only the endpoint, not whoever learned the signed URL, who can post any body to it.
import { maskMsisdn } from "proximus-api";
import { allListings } from "./listings.js";

/**
 * Confirms `event` (parsed from a listing's callback) against the platform's record of the call
 * to `service`, the listing's temporary number, and stores it: the HTTP status to answer. A call
 * to an expired number leaves no record to check: it is kept, marked unconfirmed. Rejects when
 * the platform cannot answer (the caller answers 503: the platform sends the event again).
 */
export async function receiveCallEvent(client, kv, listingId, event, service) {
  const check = await client.cdrs.confirm(event, { service });
  if (!check.confirmed && check.reason !== "expired_booking") return 403;
  const ts = event.timestamp.toISOString();
  // Stored without `destination` (the seller's real number); the buyer's number masked.
  const record = {
    kind: event.kind,
    id: event.id ?? null,
    timestamp: ts,
    duration: event.duration ?? null,
    caller: maskMsisdn(event.source),
    message: event.kind === "expired" ? event.message : null,
    confirmed: check.confirmed,
  };
  // Keyed by the call's id: the same event sent twice is stored once.
  await kv.put(`call:${listingId}:${event.id ?? `expired-${ts}`}`, JSON.stringify(record));
  return 204;
}

export async function callLog(kv, listingId) {
  const { keys } = await kv.list({ prefix: `call:${listingId}:` });
  const calls = await Promise.all(keys.map((k) => kv.get(k.name, "json")));
  return calls.filter(Boolean).sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1));
}

export async function allCalls(kv) {
  const out = {};
  await Promise.all((await allListings(kv)).map(async (l) => { out[l.id] = await callLog(kv, l.id); }));
  return out;
}
