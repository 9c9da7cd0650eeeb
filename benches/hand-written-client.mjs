// The client a user would write by hand instead of using proximus-api, for the same four calls:
// fetch, a cached token (one /token request shared by concurrent callers, renewed a minute
// before it expires), JSON, the Bearer header. No retries, no timeouts, no input checks: the
// honest baseline the library's overhead is measured against.
export class HandWrittenClient {
  constructor({ baseUrl, clientId, clientSecret }) {
    this.baseUrl = baseUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.token = null; // { value, expiresAt } once fetched
    this.pending = null; // the /token request in flight
  }

  async accessToken() {
    if (this.token && Date.now() < this.token.expiresAt - 60_000) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => { this.pending = null; });
    return this.pending;
  }

  async fetchToken() {
    const res = await fetch(`${this.baseUrl}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.clientId, client_secret: this.clientSecret }),
    });
    if (!res.ok) throw new Error(`token: HTTP ${res.status}`);
    const body = await res.json();
    this.token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return this.token.value;
  }

  /** `signal`: the client with duties passes its timeout's; the plain one none. */
  async get(path, signal = undefined) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${await this.accessToken()}`, accept: "application/json" },
      signal,
    });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return res.json();
  }

  async getStatus(msisdn) {
    const body = await this.get(`/fmu/1.0.0/status?msisdn=${encodeURIComponent(msisdn)}`);
    if (body.isError) throw new Error(`${msisdn}: ${body.errorMessage}`);
    return { msisdn: body.msisdn, status: body.status };
  }

  async getBooking(id) {
    const b = await this.get(`/rentednumbers/1.0.0/bookings/${encodeURIComponent(id)}`);
    return { ...b, endTime: new Date(b.endTime) };
  }

  /** `site`: where the walk was asked for (the client with duties gives it; the plain one does not). */
  async *pages(path, instant, site) {
    try {
      for (let page = 0; ; page++) {
        const body = await this.get(`${path}${path.includes("?") ? "&" : "?"}page=${page}`);
        for (const item of body.content) yield { ...item, [instant]: new Date(item[instant]) };
        if (body.content.length === 0 || page + 1 >= body.totalPages) return;
      }
    } catch (error) {
      throw site ? withStack(error, site) : error;
    }
  }

  listBookings({ includeExpired = false, pageSize = 20 } = {}, site = undefined) {
    return this.pages(`/rentednumbers/1.0.0/bookings?includeExpired=${includeExpired}&size=${pageSize}`, "endTime", site);
  }

  listCdrs({ pageSize = 20 } = {}, site = undefined) {
    return this.pages(`/rentednumbers/1.0.0/cdr?size=${pageSize}`, "timestamp", site);
  }
}

/**
 * The same client doing the two things the design asks of every call and the plain one skips:
 * a timeout that stops the request (an `AbortController` and a timer per request, the
 * library's default 10 s), and a failure's stack starting at the application's line (captured
 * when the call starts). The overhead rows compare with it too: the library's cost above it is
 * the part its own code adds.
 */
export class HandWrittenClientWithDuties extends HandWrittenClient {
  async get(path) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      return await super.get(path, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  getStatus(msisdn) {
    const site = callSite(this.getStatus);
    return super.getStatus(msisdn).catch((error) => Promise.reject(withStack(error, site)));
  }

  getBooking(id) {
    const site = callSite(this.getBooking);
    return super.getBooking(id).catch((error) => Promise.reject(withStack(error, site)));
  }

  listBookings(options) {
    return super.listBookings(options, callSite(this.listBookings));
  }

  listCdrs(options) {
    return super.listCdrs(options, callSite(this.listCdrs));
  }
}

/** The stack of the application's call to `method` (the frames below it). */
function callSite(method) {
  const site = {};
  Error.captureStackTrace(site, method);
  return site;
}

/** `error`, its stack replaced by the call site's. */
function withStack(error, site) {
  error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf("\n"))}`;
  return error;
}
