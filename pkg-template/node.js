// Node.js entry: instantiate the wasm synchronously from the file next to this one.
import { readFileSync } from "node:fs";
import { initSync, __registerErrorClass, __setDefaultMaxConcurrentRequests } from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

initSync({ module: readFileSync(new URL("./proximus_api_bg.wasm", import.meta.url)) });
__registerErrorClass(ProximusError);
// Node's fetch has no per-host connection limit (browsers and Workers queue past 6).
__setDefaultMaxConcurrentRequests(32);

export * from "./api.js";
