// Starts the sandbox in a child process (sandbox-child.mjs) and drives its admin routes.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DEFAULT_CREDENTIALS } from "../sandbox/index.js";

export { DEFAULT_CREDENTIALS };

/** @returns {Promise<{ url, receiverUrl, admin, config, requests, clearRequests, reset, close }>} */
export async function startSandboxChild() {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./sandbox-child.mjs", import.meta.url))], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const { url, receiverUrl } = await new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`the sandbox child exited (${code}) before it started`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
  });
  child.removeAllListeners("exit");
  const admin = async (method, path, body) => {
    const res = await fetch(`${url}/_sandbox/${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  return {
    url,
    receiverUrl,
    admin,
    config: (body) => admin("POST", "config", body),
    reset: () => admin("POST", "reset"),
    requests: async (prefix) => (await admin("GET", prefix ? `requests?path=${encodeURIComponent(prefix)}` : "requests")).requests,
    clearRequests: () => admin("DELETE", "requests"),
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin.end();
    }),
  };
}
