// Gets a token from the sandbox (or from Proximus, with your own credentials) and prints what
// the client did. `make demo` runs it against a fresh sandbox.
//
//   PROXIMUS_SANDBOX_URL=http://127.0.0.1:8787 node examples/quickstart.mjs
import { ProximusClient, ProximusError, formatMsisdn, maskMsisdn } from "../pkg/node.js";

const baseUrl = process.env.PROXIMUS_SANDBOX_URL ?? "http://127.0.0.1:8787";
const client = new ProximusClient({
  clientId: process.env.PROXIMUS_CLIENT_ID ?? "sandbox-client",
  clientSecret: process.env.PROXIMUS_CLIENT_SECRET ?? "sandbox-secret",
  baseUrl,
  onRetry: ({ attempt, delayMs, error }) => console.log(`  retry ${attempt} in ${delayMs} ms after ${error.code}`),
});

try {
  console.log(`Proximus API at ${baseUrl}`);
  const token = await client.tokens.get();
  console.log(`1. got a ${token.tokenType} token (scope ${token.scope}) valid until ${token.expiresAt.toISOString()}`);
  console.log(`   ${token.accessToken.slice(0, 6)}… (the rest is yours to keep secret)`);
  const again = await client.tokens.get();
  console.log(`2. asked again: ${again.accessToken === token.accessToken ? "served from the cache, no request" : "a new token"}`);
  await client.tokens.revoke();
  console.log("3. revoked it");
  const fresh = await client.tokens.get();
  console.log(`4. the next call got a fresh token: ${fresh.accessToken !== token.accessToken}`);

  const status = await client.fmu.getStatus("0477 12 12 12");
  console.log(`5. FMU: ${formatMsisdn(status.msisdn)} is ${status.status}`);
  await client.fmu.setStatus(status.msisdn, "PROFESSIONAL");
  console.log(`   switched to ${(await client.fmu.getStatus(status.msisdn)).status}`);

  const booking = await client.bookings.create({
    destination: "0471 12 12 12",
    usagePlan: "SMALL",
    callbackUrl: "http://127.0.0.1:9/calls", // nothing listens: the sandbox logs the failed delivery
  });
  console.log(`6. booked ${formatMsisdn(booking.service)} forwarding to ${maskMsisdn(booking.destination)}`);
  console.log(`   ${booking.secondsRemaining} s and ${booking.callsRemaining} calls until ${booking.endTime.toISOString()}`);
} catch (error) {
  if (error instanceof ProximusError) {
    console.error(`The client failed: ${error.code}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
