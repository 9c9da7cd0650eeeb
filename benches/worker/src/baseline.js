// The cold-start baseline Worker: the same first call with the hand-written fetch client
// (a token, then one FMU status), no wasm.
import { HandWrittenClient } from "../../hand-written-client.mjs";

let client = null;

export default {
  /** @param {Request} request @param {{ SANDBOX_URL: string, CLIENT_ID: string, CLIENT_SECRET: string }} env */
  async fetch(request, env) {
    client ??= new HandWrittenClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.SANDBOX_URL });
    return Response.json(await client.getStatus("32477121212"));
  },
};
