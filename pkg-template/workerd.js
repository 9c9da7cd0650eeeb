// Cloudflare Workers (workerd) entry: the bundler hands us a compiled WebAssembly.Module.
import wasmModule from "./proximus_api_bg.wasm";
import { initSync, __registerErrorClass } from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

initSync({ module: wasmModule });
__registerErrorClass(ProximusError);

export * from "./api.js";
