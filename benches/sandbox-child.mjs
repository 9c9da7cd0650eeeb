// Child process: the sandbox and a callback receiver (answers 204 to every POST) on loopback
// ports, so that the server's work does not share the measuring process's event loop. Prints
// `{"url","receiverUrl"}` as one line, then stops itself when its stdin closes (the parent ended).
import { createServer } from "node:http";
import { startSandbox } from "../sandbox/index.js";

const sandbox = await startSandbox({ port: 0, logger: null });
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(204).end());
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  receiver.closeAllConnections();
  receiver.close();
  await sandbox.close();
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

process.stdout.write(`${JSON.stringify({ url: sandbox.url, receiverUrl: `http://127.0.0.1:${receiver.address().port}` })}\n`);
