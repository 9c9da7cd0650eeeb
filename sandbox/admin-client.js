// A client of the sandbox's admin routes (`/_sandbox/…`, see README.md) with nothing but fetch,
// so tests, benchmarks and Workers drive a sandbox the same way. Every call throws on an answer
// that is not 2xx.

/** The admin routes of the sandbox at `url`. */
export function sandboxAdmin(url) {
  const request = async (method, path, body) => {
    const response = await fetch(`${url}/_sandbox/${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`sandbox ${method} /_sandbox/${path}: ${response.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : {};
  };
  return {
    /** Any admin route: `request("GET", "state")`. */
    request,
    reset: () => request("POST", "reset"),
    config: (body) => request("POST", "config", body),
    state: () => request("GET", "state"),
    advance: (seconds) => request("POST", "clock", { advanceSeconds: seconds }),
    addFault: (fault) => request("POST", "faults", fault),
    faults: async () => (await request("GET", "faults")).faults,
    clearFaults: () => request("DELETE", "faults"),
    /** What clients sent, optionally only to `path` (exact or prefix). */
    requests: async (path) => (await request("GET", path ? `requests?path=${encodeURIComponent(path)}` : "requests")).requests,
    clearRequests: () => request("DELETE", "requests"),
    /** A buyer calls the temporary number `service` for `duration` seconds. */
    call: (service, duration = 42) => request("POST", "calls", { service, duration, source: "32470000001" }),
  };
}
