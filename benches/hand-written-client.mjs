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

  async get(path) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${await this.accessToken()}`, accept: "application/json" },
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

  async *pages(path, instant) {
    for (let page = 0; ; page++) {
      const body = await this.get(`${path}${path.includes("?") ? "&" : "?"}page=${page}`);
      for (const item of body.content) yield { ...item, [instant]: new Date(item[instant]) };
      if (body.content.length === 0 || page + 1 >= body.totalPages) return;
    }
  }

  listBookings({ includeExpired = false, pageSize = 20 } = {}) {
    return this.pages(`/rentednumbers/1.0.0/bookings?includeExpired=${includeExpired}&size=${pageSize}`, "endTime");
  }

  listCdrs({ pageSize = 20 } = {}) {
    return this.pages(`/rentednumbers/1.0.0/cdr?size=${pageSize}`, "timestamp");
  }
}
