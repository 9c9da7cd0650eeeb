// A Worker using proximus-api: wrangler resolves the package through its `workerd` condition
// (the entry that imports the .wasm as a compiled module; no fetch of the wasm, no eval).
import { ProximusClient, ProximusError, maskMsisdn } from "proximus-api";

export default {
  /** @param {Request} request @param {{ PROXIMUS_BASE_URL: string, PROXIMUS_CLIENT_ID: string, PROXIMUS_CLIENT_SECRET: string }} env */
  async fetch(request, env) {
    const client = new ProximusClient({
      clientId: env.PROXIMUS_CLIENT_ID,
      clientSecret: env.PROXIMUS_CLIENT_SECRET,
      baseUrl: env.PROXIMUS_BASE_URL,
    });
    try {
      const token = await client.tokens.get();
      const fmu = await client.fmu.getStatus("0477 12 12 12");
      const booking = await client.bookings.create({
        destination: "0477 12 12 12",
        usagePlan: "SMALL",
        callbackUrl: new URL("/cb", env.PROXIMUS_BASE_URL).href, // loopback http: allowed for development
      });
      let invalid = null;
      try {
        await client.fmu.getStatus("not a number");
      } catch (e) {
        invalid = e instanceof ProximusError ? e.code : `not a ProximusError: ${e}`;
      }
      return Response.json({
        tokenType: token.tokenType,
        expiresAtIsDate: token.expiresAt instanceof Date,
        fmu,
        booking: { id: booking.id, destination: booking.destination, usagePlan: booking.usagePlan, endTimeIsDate: booking.endTime instanceof Date },
        masked: maskMsisdn(booking.destination ?? ""),
        invalid,
      });
    } catch (e) {
      return Response.json({ error: String(e), code: e?.code ?? null }, { status: 500 });
    }
  },
};
