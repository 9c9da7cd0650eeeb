// A busy DEMO_PORT told as one line the user can act on, instead of workerd's kj::Exception dump.
import { createServer } from "node:net";
import { createInterface } from "node:readline";

export class PortInUseError extends Error {
  constructor(port) {
    super(`port ${port} is in use: set DEMO_PORT, e.g. make demo DEMO_PORT=${port + 1}`);
    this.name = "PortInUseError";
  }
}

/** Binds 127.0.0.1:port (where miniflare will listen) and releases it; PortInUseError if taken. */
export function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (e) => reject(e.code === "EADDRINUSE" ? new PortInUseError(port) : e));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/**
 * Miniflare's `handleRuntimeStdio`: workerd's output passed through line by line, except the
 * stack dump of a failed bind (a port taken since the check above), which miniflare then reports
 * as ERR_ADDRESS_IN_USE and startDemo as PortInUseError.
 */
export function withoutBindDump(stdout, stderr) {
  for (const [input, output] of [[stdout, process.stdout], [stderr, process.stderr]]) {
    let dropStack = false;
    createInterface({ input, crlfDelay: Infinity }).on("line", (line) => {
      const dump = /kj::Exception.*Address already in use/.test(line) || (dropStack && line.startsWith("stack:"));
      dropStack = dump && !line.startsWith("stack:");
      if (!dump) output.write(`${line}\n`);
    });
  }
}
