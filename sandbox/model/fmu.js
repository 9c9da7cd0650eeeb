// Fixed Mobile Unification: the status of each mobile (PRIVATE, PROFESSIONAL, ON_DUTY), one number
// synchronously, 2–50 numbers asynchronously with the outcome POSTed to a callback URL.
import { badRequest, checkCallbackUrl, empty, json, parseJsonObject } from "./http.js";

export const STATUSES = ["PRIVATE", "PROFESSIONAL", "ON_DUTY"];
const BELGIAN_MOBILE = /^324\d{8}$/;
const MAX_NUMBERS = 50;
const NOT_ACTIVE = "FMU option not active";

function checkNumbers(list) {
  if (list.length === 0) throw badRequest("msisdn is required (one number, or 2 to 50)");
  if (list.length > MAX_NUMBERS) throw badRequest(`at most ${MAX_NUMBERS} numbers per request (got ${list.length})`);
  for (const n of list) {
    if (typeof n !== "string") throw badRequest("each msisdn must be a string");
    if (!BELGIAN_MOBILE.test(n)) throw badRequest(`invalid msisdn "${n.slice(0, 32)}": a Belgian mobile in international form is 324 followed by 8 digits`);
  }
}

function callbackFor(ctx, given, field) {
  if (given !== undefined && given !== null) {
    const problem = checkCallbackUrl(given, field);
    if (problem) throw badRequest(problem);
    return given;
  }
  return null;
}

function asyncCallback(ctx, given, field) {
  const url = callbackFor(ctx, given, field) || ctx.state.fmu.callbackUrl;
  if (!url) throw badRequest(`an asynchronous request (2 to ${MAX_NUMBERS} numbers) needs ${field} or a registered default callback (POST /callback)`);
  return url;
}

function statusOf(ctx, msisdn) {
  const entry = ctx.state.fmu.numbers[msisdn];
  if (!entry || !entry.fmuActive) return { msisdn, isError: true, errorMessage: NOT_ACTIVE };
  return { msisdn, isError: false, status: entry.status };
}

function setOne(ctx, msisdn, status) {
  const entry = ctx.state.fmu.numbers[msisdn];
  if (!entry || !entry.fmuActive) return { msisdn, success: false, errorMessage: NOT_ACTIVE };
  entry.status = status;
  return { msisdn, success: true };
}

/** GET /status?msisdn=A[,B…][&callback_url=…] */
export function getStatus(ctx, url) {
  const raw = url.searchParams.get("msisdn");
  if (raw === null || raw.trim() === "") throw badRequest("query parameter msisdn is required");
  const list = raw.split(",").map((s) => s.trim());
  checkNumbers(list);
  const given = url.searchParams.get("callback_url");
  if (list.length === 1) {
    callbackFor(ctx, given, "callback_url"); // a bad URL is still a bad request
    return json(200, statusOf(ctx, list[0]));
  }
  const callback = asyncCallback(ctx, given, "callback_url");
  const requestId = crypto.randomUUID();
  const results = list.map((n) => statusOf(ctx, n));
  ctx.callbacks.send(callback, { requestId, type: "GET_STATUS", results }, ctx.waitUntil);
  return json(202, { requestId });
}

/** PUT /status {"msisdn":[…],"status":"…","callbackUrl"?} */
export function putStatus(ctx, text) {
  const body = parseJsonObject(text);
  if (!Array.isArray(body.msisdn)) throw badRequest("msisdn must be an array of numbers in international form");
  checkNumbers(body.msisdn);
  if (typeof body.status !== "string" || !STATUSES.includes(body.status)) {
    throw badRequest(`status must be one of ${STATUSES.join(", ")}`);
  }
  if (body.msisdn.length === 1) {
    callbackFor(ctx, body.callbackUrl, "callbackUrl");
    return json(200, setOne(ctx, body.msisdn[0], body.status));
  }
  const callback = asyncCallback(ctx, body.callbackUrl, "callbackUrl");
  const requestId = crypto.randomUUID();
  const results = body.msisdn.map((n) => setOne(ctx, n, body.status));
  ctx.callbacks.send(callback, { requestId, type: "SET_STATUS", results }, ctx.waitUntil);
  return json(202, { requestId });
}

/** POST /callback {"url"} — the default callback for asynchronous requests. */
export function postCallback(ctx, text) {
  const body = parseJsonObject(text);
  const problem = checkCallbackUrl(body.url, "url");
  if (problem) throw badRequest(problem);
  ctx.state.fmu.callbackUrl = body.url;
  return empty(204);
}
