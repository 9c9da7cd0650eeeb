// The Durable Object that runs every `bookings.ensure` of one listing (one object per key), from
// whichever isolate asks: one POST /bookings per listing, the same number for every caller.
import { BookingCoordinator } from "proximus-api";
import { newClient } from "./client.js";

export class Bookings extends BookingCoordinator {
  // A client of its own, not the isolate's: workerd forbids one object's I/O inside another.
  createClient(env) {
    return newClient(env);
  }

  // The object writes each listing's booking id to KV too, where the Worker and the clean-up read it.
  bookingStore(env) {
    return env.KV;
  }
}
