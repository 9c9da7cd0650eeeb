// Cloudflare Worker entry: the same handler, state kept per isolate. Callback deliveries are
// handed to ctx.waitUntil so they finish after the answer is sent.
import { createSandbox } from "./handler.js";
import { ConnectionDrop } from "./model/http.js";

let sandbox = null;

function instance(env) {
  sandbox ??= createSandbox({
    clientId: env?.SANDBOX_CLIENT_ID || undefined,
    clientSecret: env?.SANDBOX_CLIENT_SECRET || undefined,
    permanentToken: env?.SANDBOX_PERMANENT_TOKEN || undefined,
  });
  return sandbox;
}

export default {
  async fetch(request, env, ctx) {
    try {
      return await instance(env).handle(request, ctx);
    } catch (err) {
      // A Worker cannot drop its client's connection; throwing makes the runtime fail the request.
      if (err instanceof ConnectionDrop) throw new Error(err.message);
      throw err;
    }
  },
};
