// A browser app bundled by Vite: `proximus-api` resolves to its `browser` entry, which fetches
// and instantiates the .wasm that Vite emitted next to the bundle. The sandbox URL and
// credentials come from the query string (?sandbox=http://127.0.0.1:PORT).
import { ProximusClient, ProximusError, formatMsisdn } from "proximus-api";

const status = document.getElementById("status");
const result = document.getElementById("result");

async function run() {
  const params = new URLSearchParams(location.search);
  const baseUrl = params.get("sandbox");
  if (!baseUrl) throw new Error("missing ?sandbox=URL");
  const client = new ProximusClient({
    clientId: params.get("clientId") ?? "sandbox-client",
    clientSecret: params.get("clientSecret") ?? "sandbox-secret",
    baseUrl,
  });
  const token = await client.tokens.get();
  const fmu = await client.fmu.getStatus("0477 12 12 12");
  const booking = await client.bookings.create({
    destination: "0477 12 12 12",
    usagePlan: "SMALL",
    callbackUrl: new URL("/cb", baseUrl).href,
  });
  let invalid = null;
  try {
    await client.fmu.getStatus("not a number");
  } catch (e) {
    invalid = e instanceof ProximusError ? e.code : `not a ProximusError: ${e}`;
  }
  return {
    tokenType: token.tokenType,
    expiresAtIsDate: token.expiresAt instanceof Date,
    fmu,
    booking: { id: booking.id, destination: booking.destination, usagePlan: booking.usagePlan, endTimeIsDate: booking.endTime instanceof Date },
    formatted: formatMsisdn(booking.destination ?? ""),
    invalid,
  };
}

run().then(
  (value) => { result.textContent = JSON.stringify(value); status.textContent = "done"; },
  (error) => { result.textContent = String(error?.stack ?? error); status.textContent = "failed"; },
);
