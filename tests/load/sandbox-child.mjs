// A sandbox in its own process, so that the client's memory is measured alone. Prints its URL as
// one JSON line; stops itself when its parent closes stdin (or exits) or on SIGTERM/SIGINT.
import { startSandbox } from "../../sandbox/index.js";

const server = await startSandbox({ port: 0, logger: { warn() {} } });
// Node's default keep-alive timeout (5 s) races with the client's reuse of idle sockets when the
// machine is loaded: requests then die on a socket the server just closed ("other side closed",
// ECONNRESET) without reaching it, which is retried correctly but makes request counts inexact.
server.server.keepAliveTimeout = 120_000;
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
