// One HTTP exchange for the wasm fetch transport, done on the JavaScript side: fetch builds the
// request itself (no Request, Headers or AbortController assembled call by call across the
// boundary) and AbortSignal.timeout bounds it, the body read included. It never rejects: it
// resolves to [0, status, retryAfter, body], [1] (timed out), [2, message] (network failure)
// or [3, message] (the application's fetch did not give a Response).
export async function exchange(customFetch, method, url, headerLines, body, timeoutMs) {
  const signal = timeoutSignal(timeoutMs);
  const headers = {};
  const lines = headerLines.split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) headers[lines[i]] = lines[i + 1];
  const init = { method, headers, body, signal };
  try {
    const response = await (customFetch ? customFetch(new Request(url, init)) : fetch(url, init));
    // Duck-typed (no instanceof: a Response of another realm or a polyfill is fine).
    if (typeof response?.status !== "number" || typeof response.text !== "function") {
      return [3, "the fetch option did not resolve to a Response"];
    }
    const retryAfter = response.headers?.get?.("retry-after") ?? null;
    const text = await response.text();
    return [0, response.status, typeof retryAfter === "string" ? retryAfter : null, String(text)];
  } catch (error) {
    return signal.aborted ? [1] : [2, messageOf(error)];
  }
}

function timeoutSignal(ms) {
  if (typeof AbortSignal.timeout === "function") return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

function messageOf(error) {
  try {
    const message = error?.message;
    if (typeof message === "string" && message) return message;
  } catch {
    // a Proxy or a getter that throws: no message to show
  }
  return "fetch failed";
}
