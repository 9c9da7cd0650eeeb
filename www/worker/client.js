// The Proximus client as the Worker and its Durable Objects make it: the sandbox's (or the real
// platform's) credentials from env, the one active token shared through KV.
import { ProximusClient } from "proximus-api";

export function newClient(env) {
  return new ProximusClient({
    clientId: env.PROXIMUS_CLIENT_ID,
    clientSecret: env.PROXIMUS_CLIENT_SECRET,
    baseUrl: env.PROXIMUS_BASE_URL,
    timeoutMs: 5000,
    maxRetries: 1,
    tokenStore: kvTokenStore(env.KV),
  });
}

/**
 * Proximus keeps one active token per application: every isolate and object reads and saves it
 * here. KV refuses an expiry under 60 s away; the saved `expiresAt` still tells the client when it ends.
 */
function kvTokenStore(kv) {
  return {
    get: () => kv.get("proximus-token", "json"), // { accessToken, expiresAt } | null
    set: (accessToken, expiresAt) =>
      kv.put("proximus-token", JSON.stringify({ accessToken, expiresAt: expiresAt?.getTime() ?? null }),
        expiresAt ? { expiration: Math.max(Math.floor(expiresAt.getTime() / 1000), Math.ceil(Date.now() / 1000) + 60) } : {}),
  };
}
