// Runs the marketplace demo locally: the sandbox and the bundled Worker (dist/, from
// `npm run build`) in miniflare's workerd with a local KV namespace and the static assets of
// dist-assets/ (the package's browser files under /pkg/), both on loopback.
//
//   node demo.mjs [--port 8788]    prints one URL; Ctrl-C stops everything; a busy port is one
//                                  line naming DEMO_PORT and exit code 1
//
// `startDemo()` does the same for the e2e test and returns { url, sandboxUrl, close() }.
// Miniflare fires no Cron Trigger by itself: the demo runs the Worker's scheduled handler (the
// clean-up of orphaned bookings) every 30 minutes, as wrangler.jsonc's cron would.
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { startSandbox, DEFAULT_CREDENTIALS } from "../sandbox/index.js";
import { PortInUseError, assertPortFree, withoutBindDump } from "./port.mjs";

const dist = fileURLToPath(new URL("./dist/", import.meta.url));
const assets = fileURLToPath(new URL("./dist-assets/", import.meta.url));
/** wrangler.jsonc's Cron Trigger, and its period. */
const CRON = "*/30 * * * *";
const CRON_PERIOD_MS = 30 * 60 * 1000;

/**
 * Real mode: with PROXIMUS_CLIENT_ID and PROXIMUS_CLIENT_SECRET in the environment the Worker
 * talks to the real platform (PROXIMUS_BASE_URL, default https://api.enco.io) and no sandbox
 * is started. The platform only calls https callback URLs, so live call events need the Worker
 * deployed (`wrangler deploy`); see the README.
 */
function realPlatform(env) {
  if (!env.PROXIMUS_CLIENT_ID || !env.PROXIMUS_CLIENT_SECRET) return null;
  return {
    url: env.PROXIMUS_BASE_URL || "https://api.enco.io",
    clientId: env.PROXIMUS_CLIENT_ID,
    clientSecret: env.PROXIMUS_CLIENT_SECRET,
    close: async () => {},
  };
}

export async function startDemo({ port = 0, quiet = false, env = {} } = {}) {
  if (!existsSync(`${dist}index.js`) || !existsSync(`${assets}pkg/browser.js`)) {
    throw new Error("www/dist/ is not built: run `npm run build` in www/ (or make demo)");
  }
  const logger = quiet ? { log() {}, info() {}, warn() {}, error() {}, debug() {} } : console;
  const real = realPlatform(env);
  const box = real ?? (await startSandbox({ port: 0, host: "127.0.0.1", logger }));
  const credentials = real ?? DEFAULT_CREDENTIALS;
  const callbackSecret = randomBytes(24).toString("hex");
  let mf;
  let cron;
  try {
    mf = new Miniflare({
      modules: true,
      scriptPath: `${dist}index.js`,
      modulesRules: [
        { type: "CompiledWasm", include: ["**/*.wasm"] },
        // The page's files, which wrangler emitted as text modules next to index.js.
        { type: "Text", include: ["**/*.html", "**/*.css", "**/*-app.js", "**/*-sell.js"] },
      ],
      compatibilityDate: "2026-04-01",
      assets: { directory: assets, routerConfig: { has_user_worker: true } },
      host: "127.0.0.1",
      port,
      handleRuntimeStdio: withoutBindDump,
      kvNamespaces: ["KV"],
      durableObjects: { BOOKINGS: "Bookings" },
      bindings: {
        PROXIMUS_BASE_URL: box.url,
        PROXIMUS_CLIENT_ID: credentials.clientId,
        PROXIMUS_CLIENT_SECRET: credentials.clientSecret,
        CALLBACK_SECRET: callbackSecret,
        // A real account may hold bookings this demo did not make: its clean-up only reports.
        CLEANUP_DRY_RUN: real ? "1" : "",
      },
    });
    const url = await mf.ready;
    cron = setInterval(async () => {
      try {
        await (await mf.getWorker()).scheduled({ cron: CRON });
      } catch (e) {
        logger.error(`the scheduled clean-up failed: ${e?.message ?? e}`);
      }
    }, CRON_PERIOD_MS);
    cron.unref();
    return {
      url: url.href.replace(/\/$/, ""),
      sandboxUrl: box.url,
      /** The Worker's CALLBACK_SECRET: for the e2e test's forged events on valid signed URLs. */
      callbackSecret,
      /** Stops the sandbox only (to see how the demo tells a platform that is down). */
      stopSandbox: () => box.close(),
      async close() {
        clearInterval(cron);
        await mf.dispose().catch(() => {});
        await box.close();
      },
    };
  } catch (e) {
    clearInterval(cron);
    await mf?.dispose().catch(() => {});
    await box.close();
    throw e?.code === "ERR_ADDRESS_IN_USE" ? new PortInUseError(port) : e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8788;
  let demo;
  try {
    await assertPortFree(port);
    demo = await startDemo({ port, env: process.env });
  } catch (e) {
    if (!(e instanceof PortInUseError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
  const platform = realPlatform(process.env) ? `the real platform at ${demo.sandboxUrl}` : "the local sandbox";
  console.log(`\n  Marketplace demo: ${demo.url}/  (against ${platform})\n  (Ctrl-C stops it)\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await demo.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
