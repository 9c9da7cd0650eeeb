// Node.js entry: instantiate the wasm synchronously from the file next to this one.
import { readFileSync } from "node:fs";
import { initSync, __registerErrorClass } from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

initSync({ module: readFileSync(new URL("./proximus_api_bg.wasm", import.meta.url)) });
__registerErrorClass(ProximusError);

export * from "./api.js";
