// Browser and bundler entry: fetch and instantiate the wasm next to this file (bundlers such
// as Vite and webpack see the `new URL(…, import.meta.url)` and emit the asset).
import init, { __registerErrorClass } from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

await init({ module_or_path: new URL("./proximus_api_bg.wasm", import.meta.url) });
__registerErrorClass(ProximusError);

export * from "./api.js";
