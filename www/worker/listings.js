// The market's listings: twelve seeded ones, plus those sellers add with the "List an item" form,
// kept in Workers KV (key `item:<id>`). `destination` is the seller's real (hidden) number.
import { ProximusError, normalizeMsisdn } from "proximus-api";

const SEEDED = [
  { id: "bike", title: "City bike, 28 inch, 7 gears", price: 180, seller: "Anna", destination: "32477121212" },
  { id: "sofa", title: "Three-seat sofa, grey linen", price: 250, seller: "Bram", destination: "32471121212" },
  { id: "lamp", title: "Brass desk lamp (1970s)", price: 45, seller: "Anna", destination: "32477121212" },
  { id: "guitar", title: "Acoustic guitar with case", price: 120, seller: "Chloé", destination: "32471121213" },
  { id: "stroller", title: "Baby stroller, foldable", price: 90, seller: "Dries", destination: "32475000001" },
  { id: "table", title: "Oak dining table, 6 people", price: 300, seller: "Bram", destination: "32471121212" },
  { id: "camera", title: "Film camera, 50 mm lens", price: 160, seller: "Elif", destination: "32475000002" },
  { id: "skis", title: "Skis 170 cm with bindings", price: 110, seller: "Dries", destination: "32475000001" },
  { id: "books", title: "Box of 30 paperback novels", price: 25, seller: "Chloé", destination: "32471121213" },
  { id: "drill", title: "Cordless drill, 2 batteries", price: 60, seller: "Farid", destination: "32476123456" },
  { id: "plant", title: "Monstera plant, 1.2 m", price: 35, seller: "Elif", destination: "32475000002" },
  { id: "console", title: "Game console with 2 controllers", price: 200, seller: "Farid", destination: "32476123456" },
];
const BY_ID = new Map(SEEDED.map((l) => [l.id, l]));

/** Each new listing books a temporary number: a cap keeps a demo left open from booking many. */
export const MAX_NEW_LISTINGS = 20;

/** Ids as the routes match them (`[a-z0-9-]+`). */
export const ID = "[a-z0-9-]+";

/** Every listing, the seeded ones first, then the new ones in the order they were added. */
export async function allListings(kv) {
  const { keys } = await kv.list({ prefix: "item:" });
  const added = await Promise.all(keys.map((k) => kv.get(k.name, "json")));
  return [...SEEDED, ...added.filter(Boolean)];
}

export async function findListing(kv, id) {
  return BY_ID.get(id) ?? (await kv.get(`item:${id}`, "json"));
}

/**
 * The form's fields checked again here (the page's check is a convenience, not a guard): the
 * fields of a new listing, or `{ error }`, for a bad number the library's own message.
 */
export function readListing(body) {
  const text = (v) => (typeof v === "string" ? v.trim() : "");
  const title = text(body?.title);
  const seller = text(body?.seller);
  const price = body?.price;
  if (!title || title.length > 80) return { error: "Give the item a title (at most 80 characters)." };
  if (!Number.isInteger(price) || price < 0 || price > 100_000) return { error: "Give a price in whole euros, from 0 to 100 000." };
  if (!seller || seller.length > 40) return { error: "Give the seller's name (at most 40 characters)." };
  try {
    return { title, price, seller, destination: normalizeMsisdn(text(body?.phone)) };
  } catch (e) {
    return { error: e instanceof ProximusError ? e.message : "The phone number cannot be read." };
  }
}

/** Stores a new listing; null once MAX_NEW_LISTINGS are stored. */
export async function addListing(kv, fields) {
  const { keys } = await kv.list({ prefix: "item:" });
  if (keys.length >= MAX_NEW_LISTINGS) return null;
  // Time first, so KV's key order is the order they were added.
  const id = `new-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  const listing = { id, ...fields };
  await kv.put(`item:${id}`, JSON.stringify(listing));
  return listing;
}
