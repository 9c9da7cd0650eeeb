// Node entry points: the in-process sandbox (createSandbox) and a real HTTP server around the
// same handler (startSandbox), for tests and local development.
import http from "node:http";
import { ConnectionDrop, MAX_BODY_BYTES } from "./model/http.js";
import { createSandbox, DEFAULT_CREDENTIALS } from "./handler.js";

export { createSandbox, DEFAULT_CREDENTIALS };

/**
 * Starts the sandbox on a real socket.
 * @param {object} [options] `{ port = 0, host = "127.0.0.1", ...createSandbox options }`
 * @returns {Promise<{ url: string, port: number, sandbox: object, close: () => Promise<void> }>}
 */
export async function startSandbox({ port = 0, host = "127.0.0.1", sandbox: given, ...options } = {}) {
  const sandbox = given ?? createSandbox(options);
  let origin = "http://localhost";
  const server = http.createServer((req, res) => {
    serve(sandbox, origin, req, res).catch((err) => {
      options.logger?.warn?.(`[sandbox] server error: ${err?.stack || err}`);
      if (!res.headersSent) { res.writeHead(500); res.end(); } else res.destroy();
    });
  });
  // Longer than any client's idle pool (undici keeps connections 4 s): with Node's default 5 s
  // a busy machine lets a client reuse a connection just as the server closes it (ECONNRESET).
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => { server.off("error", reject); resolve(); });
  });
  const actual = server.address().port;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  let closing = null;
  return {
    url: origin,
    port: actual,
    sandbox,
    server,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(sandbox, origin, req, res) {
  const aborted = new AbortController();
  res.on("close", () => { if (!res.writableFinished) aborted.abort(); });

  // An endpoint that is down: the connection is reset before anything is read.
  if (sandbox.takeRefusal?.(req.method, req.url)) {
    if (typeof req.socket.resetAndDestroy === "function") req.socket.resetAndDestroy();
    else req.socket.destroy();
    return;
  }
  const body = await readLimited(req);
  let request;
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      try { headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]); } catch { /* invalid header: skip */ }
    }
    const target = req.url.startsWith("/") ? origin + req.url : req.url;
    const hasBody = req.method !== "GET" && req.method !== "HEAD" && body.length > 0;
    request = new Request(target, {
      method: req.method,
      headers,
      body: hasBody ? body : undefined,
      signal: aborted.signal,
    });
  } catch {
    res.writeHead(400, { "content-type": "application/json", "access-control-allow-origin": "*", connection: "close" });
    res.end(JSON.stringify({ code: "VALIDATION_ERROR", message: "malformed HTTP request" }));
    return;
  }

  let response;
  try {
    response = await sandbox.handle(request);
  } catch (err) {
    if (err instanceof ConnectionDrop) { req.socket.destroy(); return; }
    throw err;
  }
  if (res.destroyed) return;
  const headers = {};
  for (const [k, v] of response.headers) headers[k] = v;
  if (response.sandboxStream && response.body && req.method !== "HEAD") {
    // A slow body: headers now, then each piece as it comes; stops if the client goes away.
    headers["content-length"] = String(response.sandboxStream.length);
    res.writeHead(response.status, headers);
    res.flushHeaders();
    try {
      for await (const piece of response.body) {
        if (res.destroyed) break;
        res.write(piece);
      }
    } catch { /* aborted */ }
    if (!res.destroyed) res.end();
    return;
  }
  const payload = Buffer.from(await response.arrayBuffer());
  const bodyless = response.status === 204 || response.status === 304;
  if (!bodyless) headers["content-length"] = String(payload.length);
  if (response.status === 413) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(req.method === "HEAD" || bodyless ? undefined : payload);
}

/** Reads the body, keeping at most MAX_BODY_BYTES + 1 bytes (enough for the handler to say 413). */
function readLimited(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let kept = 0;
    req.on("data", (chunk) => {
      if (kept > MAX_BODY_BYTES) return;
      const room = MAX_BODY_BYTES + 1 - kept;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(piece);
      kept += piece.length;
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
    req.on("close", () => resolve(Buffer.concat(chunks)));
  });
}
