// The benchmark Worker: one client per isolate, made on the first request; every request asks
// one FMU status (the first one also gets the token). Imports the package's `workerd` entry as
// a user's bundler would pick it (the .wasm becomes a compiled module).
import { ProximusClient } from "../../../pkg/workerd.js";

let client = null;

export default {
  /** @param {Request} request @param {{ SANDBOX_URL: string, CLIENT_ID: string, CLIENT_SECRET: string }} env */
  async fetch(request, env) {
    client ??= new ProximusClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.SANDBOX_URL });
    return Response.json(await client.fmu.getStatus("32477121212"));
  },
};
