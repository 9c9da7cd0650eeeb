// Cloudflare Workers (workerd) entry: the bundler hands us a compiled WebAssembly.Module.
import wasmModule from "./proximus_api_bg.wasm";
import { initSync, __registerErrorClass, __setWaitOnOwnTimers } from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

initSync({ module: wasmModule });
__registerErrorClass(ProximusError);
// A request may do I/O only in its own context: one client at module scope serves every request,
// so a call waiting for another's work (its token request, a place behind the gate) resumes on
// timers of its own rather than inside the request whose work it waited for.
__setWaitOnOwnTimers();

export * from "./api.js";
