// The sandbox in a process of its own (started by spawn.js), so that its work shares neither the
// event loop nor the heap of a process that measures a client. With `--receiver`, also a callback
// receiver that answers 204 to every POST. Prints `{"url","receiverUrl","pid"}` as one line;
// stops when its stdin closes (the parent ended) or on SIGTERM/SIGINT.
import { createServer } from "node:http";
import { startSandbox } from "./index.js";

const sandbox = await startSandbox({ port: 0, logger: null });
// A loaded machine's slow requests must not be cut short (idle connections: see index.js).
sandbox.server.headersTimeout = 125_000;
sandbox.server.requestTimeout = 0;

let receiver = null;
if (process.argv.includes("--receiver")) {
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  receiver?.closeAllConnections();
  receiver?.close();
  await sandbox.close();
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

const receiverUrl = receiver ? `http://127.0.0.1:${receiver.address().port}` : null;
process.stdout.write(`${JSON.stringify({ url: sandbox.url, receiverUrl, pid: process.pid })}\n`);
