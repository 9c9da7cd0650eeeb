// Starts child.js: the sandbox in a process of its own (Node only).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * @param {{ receiver?: boolean }} [options] also start a callback receiver (204 to every POST)
 * @returns {Promise<{ url: string, receiverUrl: string | null, pid: number, close: () => Promise<void> }>}
 */
export async function spawnSandbox({ receiver = false } = {}) {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./child.js", import.meta.url)), ...(receiver ? ["--receiver"] : [])], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const started = await new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const nl = text.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(text.slice(0, nl)));
    });
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code}) before listening`)));
  });
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    ...started,
    async close() {
      if (child.exitCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGTERM"), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
