// The Worker of workerd-shared-client.test.mjs: one client at module scope, made on the first
// request, serves every request (as the README recommends): one per sandbox (`?box=`) and gate
// size (`?max=`), for the tests' sake. GET /?box=…&id=… looks a booking up.
import { ProximusClient } from "../../pkg/workerd.js";

const clients = new Map();

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.search.replace(/&id=[^&]*/, "");
    if (!clients.has(key)) clients.set(key, new ProximusClient({
      baseUrl: url.searchParams.get("box"),
      clientId: env.CLIENT_ID,
      clientSecret: env.CLIENT_SECRET,
      maxConcurrentRequests: Number(url.searchParams.get("max") ?? 6),
      timeoutMs: 5000,
      logger: null,
    }));
    try {
      const booking = await clients.get(key).bookings.get(url.searchParams.get("id"));
      return Response.json({ found: booking.id });
    } catch (error) {
      return Response.json({ code: error.code, message: error.message });
    }
  },
};
