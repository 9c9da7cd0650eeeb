// A sandbox in its own process, so that the client's memory is measured alone. Prints its URL as
// one JSON line; stops itself when its parent closes stdin (or exits) or on SIGTERM/SIGINT.
import { startSandbox } from "../../sandbox/index.js";

const server = await startSandbox({ port: 0, logger: { warn() {} } });
// startSandbox keeps idle connections 120 s (see sandbox/index.js); the header and request
// timeouts must not cut a loaded machine's slow requests short either.
server.server.headersTimeout = 125_000;
server.server.requestTimeout = 0;
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
