// OAuth2 as the platform does it: client credentials (form body or HTTP Basic), one active token
// per application (asking again returns the same token with the remaining lifetime), revocation,
// permanent tokens, and the gateway's bearer check.
import { HttpError, gatewayFault, json, empty, oauthError, randomHex } from "./http.js";

const FORM = "application/x-www-form-urlencoded";

function parseForm(request, text) {
  const type = (request.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
  if (type && type !== FORM) throw oauthError(400, "invalid_request", `Content-Type must be ${FORM}`);
  return new URLSearchParams(text);
}

/** Client authentication from HTTP Basic or the form body (RFC 6749 §2.3.1). */
function clientCredentials(request, form) {
  const header = request.headers.get("authorization");
  let basic = null;
  if (header && /^basic\s/i.test(header)) {
    const challenge = { "www-authenticate": 'Basic realm="sandbox"' };
    let decoded;
    try { decoded = atob(header.slice(6).trim()); } catch {
      throw oauthError(401, "invalid_client", "malformed HTTP Basic credentials", challenge);
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) throw oauthError(401, "invalid_client", "malformed HTTP Basic credentials", challenge);
    try {
      basic = { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
                secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")), challenge };
    } catch {
      throw oauthError(401, "invalid_client", "malformed HTTP Basic credentials", challenge);
    }
  }
  const bodyId = form.get("client_id");
  const bodySecret = form.get("client_secret");
  if (basic) {
    if ((bodyId !== null && bodyId !== basic.id) || (bodySecret !== null && bodySecret !== basic.secret)) {
      throw oauthError(400, "invalid_request", "client credentials given twice (HTTP Basic and body) and they differ");
    }
    return basic;
  }
  if (!bodyId || !bodySecret) {
    throw oauthError(400, "invalid_request", "client_id and client_secret are required (form body or HTTP Basic)");
  }
  return { id: bodyId, secret: bodySecret, challenge: {} };
}

function authenticateClient(ctx, creds) {
  if (creds.id !== ctx.options.clientId || creds.secret !== ctx.options.clientSecret) {
    throw oauthError(401, "invalid_client", "Client Authentication failed.", creds.challenge);
  }
}

function remainingSeconds(record, now) {
  return Math.ceil((record.expiresAt - now) / 1000);
}

function isValid(record, now) {
  return record && !record.revoked && record.expiresAt > now;
}

/** POST /token */
export function postToken(ctx, request, body) {
  const form = parseForm(request, body);
  const grant = form.get("grant_type");
  if (!grant) throw oauthError(400, "invalid_request", "grant_type is required");
  const creds = clientCredentials(request, form);
  if (grant !== "client_credentials") {
    throw oauthError(400, "unsupported_grant_type", `grant_type ${grant} is not supported; use client_credentials`);
  }
  authenticateClient(ctx, creds);
  const { tokens } = ctx.state;
  const now = ctx.now();
  let record = tokens.current && tokens.byToken[tokens.current];
  if (!isValid(record, now)) {
    const token = randomHex(32);
    record = { clientId: creds.id, issuedAt: now, expiresAt: now + ctx.options.tokenLifetimeSeconds * 1000, revoked: false };
    tokens.byToken[token] = record;
    tokens.current = token;
    tokens.issued += 1;
    pruneTokens(tokens, now);
  }
  return json(200, {
    scope: "openid",
    token_type: "Bearer",
    expires_in: remainingSeconds(record, now),
    access_token: tokens.current,
  }, { "cache-control": "no-store", pragma: "no-cache" });
}

/** Forget long-dead tokens so the table stays small (they are refused either way). */
function pruneTokens(tokens, now) {
  for (const [token, record] of Object.entries(tokens.byToken)) {
    if (token !== tokens.current && record.expiresAt < now - 86_400_000) delete tokens.byToken[token];
  }
}

/** POST /revoke (RFC 7009: an unknown token is not an error). */
export function postRevoke(ctx, request, body) {
  const form = parseForm(request, body);
  const creds = clientCredentials(request, form);
  authenticateClient(ctx, creds);
  const token = form.get("token");
  if (!token) throw oauthError(400, "invalid_request", "token is required");
  const record = ctx.state.tokens.byToken[token];
  if (record && !record.revoked) {
    record.revoked = true;
    ctx.state.tokens.revoked += 1;
    if (ctx.state.tokens.current === token) ctx.state.tokens.current = null;
  }
  // Permanent tokens are managed in the portal, never by the API: revoking one does nothing.
  return empty(200);
}

/** The gateway's bearer check for every API call; throws the 401 fault. */
export function requireBearer(ctx, request, apiName) {
  const header = request.headers.get("authorization") || "";
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  let reason;
  if (!header) reason = "Missing Credentials";
  else if (!match) reason = "Malformed Authorization header; expected 'Bearer <token>' with a single space";
  else {
    const token = match[1];
    if (ctx.permanentTokens.has(token)) return;
    const record = ctx.state.tokens.byToken[token];
    const now = ctx.now();
    if (isValid(record, now)) return;
    reason = !record ? "Unknown access token" : record.revoked ? "Access token revoked" : "Access token expired";
  }
  const body = gatewayFault(401, `Access failure for API: ${apiName}, version: 1.0.0 status: (900901) - Invalid Credentials. ${reason}. Make sure you have provided the correct security credentials`);
  throw new HttpError(401, body, { "www-authenticate": 'Bearer realm="sandbox", error="invalid_token"' });
}

export function tokenSummary(state, now, permanentTokens) {
  const records = Object.values(state.tokens.byToken);
  return {
    active: records.filter((r) => isValid(r, now)).length,
    issued: state.tokens.issued,
    revoked: state.tokens.revoked,
    permanent: permanentTokens.size,
    currentExpiresAt: state.tokens.current && state.tokens.byToken[state.tokens.current]
      ? new Date(state.tokens.byToken[state.tokens.current].expiresAt).toISOString() : null,
  };
}
