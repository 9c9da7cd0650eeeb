// What a developer has while running the README's examples: the sandbox on a free loopback port,
// the variables the README tells them to set, and a public URL of their app (here a sink that
// takes every callback the sandbox POSTs).
import { createServer } from "node:http";
import { startSandbox, DEFAULT_CREDENTIALS } from "../../../sandbox/index.js";

export async function startEnvironment() {
  // The sandbox's own log (failed callback deliveries and the like) is not the examples' output.
  const quiet = { log() {}, info() {}, warn() {}, error() {} };
  const box = await startSandbox({ port: 0, logger: quiet });
  const sink = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(204).end());
  });
  await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve));
  return {
    sandboxUrl: box.url,
    /** As "Develop against the sandbox" says to set them. */
    variables: {
      PROXIMUS_BASE_URL: box.url,
      PROXIMUS_CLIENT_ID: DEFAULT_CREDENTIALS.clientId,
      PROXIMUS_CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret,
      PROXIMUS_TOKEN: DEFAULT_CREDENTIALS.permanentToken,
      PUBLIC_URL: `http://127.0.0.1:${sink.address().port}`,
      CALLBACK_SECRET: "a-secret-of-at-least-16-bytes",
    },
    /** Back to the seed: each example starts from the same sandbox. */
    async reset() {
      const response = await fetch(`${box.url}/_sandbox/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`sandbox reset: ${response.status}`);
    },
    async close() {
      sink.closeAllConnections();
      await new Promise((resolve) => sink.close(resolve));
      await box.close();
    },
  };
}
