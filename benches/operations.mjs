// The four calls the throughput and overhead benchmarks make with both clients, on a sandbox
// seeded the same way for both benchmarks.

import { HandWrittenClient, HandWrittenClientWithDuties } from "./hand-written-client.mjs";

export const MSISDN = "32477121212";

/** The library's client and the hand-written ones (plain, and with duties), on the sandbox's credentials. */
export function clients(pkg, box) {
  const credentials = { clientId: box.credentials.clientId, clientSecret: box.credentials.clientSecret, baseUrl: box.url };
  return { lib: new pkg.ProximusClient(credentials), hand: new HandWrittenClient(credentials), duty: new HandWrittenClientWithDuties(credentials) };
}

/** Items of a walk, checked: a walk that reads a different page is no measure of this one. */
async function walk(iterable, who) {
  let n = 0;
  for await (const item of iterable) if (item) n++;
  if (n !== 100) throw new Error(`${who}: expected 100 items, got ${n}`);
}

/**
 * Resets the sandbox, books its whole pool of 100 temporary numbers and makes 100 call records
 * (four calls on each of 25 bookings: a SMALL plan allows 25). Returns one booking's id.
 */
export async function seedSandbox(lib, box) {
  await box.reset();
  const ids = [];
  for (let i = 0; i < 100; i++) {
    const b = await lib.bookings.create({ destination: `3247712${String(i).padStart(4, "0")}`, usagePlan: "SMALL", callbackUrl: `${box.receiverUrl}/calls` });
    ids.push(b.id);
  }
  const bookings = await Promise.all(ids.slice(0, 25).map((b) => lib.bookings.get(b)));
  for (const booking of bookings) for (let i = 0; i < 4; i++) await box.call(booking.service, 30);
  return ids[37];
}

/**
 * The calls of the clients from `clients()`, each as `{ name, single, lib, hand, duty }`
 * (`single`: one request, not a page walk).
 */
export function operations({ lib, hand, duty }, id) {
  return [
    { name: "fmu.getStatus", single: true, lib: () => lib.fmu.getStatus(MSISDN), hand: () => hand.getStatus(MSISDN), duty: () => duty.getStatus(MSISDN) },
    { name: "bookings.get", single: true, lib: () => lib.bookings.get(id), hand: () => hand.getBooking(id), duty: () => duty.getBooking(id) },
    {
      name: "bookings.list (100 items)",
      single: false,
      lib: () => walk(lib.bookings.list({ pageSize: 100 }), "library"),
      hand: () => walk(hand.listBookings({ pageSize: 100 }), "hand-written"),
      duty: () => walk(duty.listBookings({ pageSize: 100 }), "hand-written with duties"),
    },
    {
      name: "cdrs.list (100 items)",
      single: false,
      lib: () => walk(lib.cdrs.list({ pageSize: 100 }), "library"),
      hand: () => walk(hand.listCdrs({ pageSize: 100 }), "hand-written"),
      duty: () => walk(duty.listCdrs({ pageSize: 100 }), "hand-written with duties"),
    },
  ];
}
