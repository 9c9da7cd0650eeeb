// The marketplace page: plain DOM, talks to the Worker's JSON API only (never to Proximus).
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== false && v != null) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message ?? "";
  box.hidden = !message;
}

async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, { ...options, headers: { "content-type": "application/json", ...(options.headers ?? {}) } });
  } catch {
    throw new Error("The demo server cannot be reached: is `make demo` still running?");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? `The server answered HTTP ${res.status}.`);
  return body;
}

const when = (iso) => new Date(iso).toLocaleString();
const euro = (n) => new Intl.NumberFormat("en-BE", { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(n);

// Every call shown was confirmed by the platform's own record, except calls to an expired
// number, which leave no record to check against.
function callItems(calls) {
  if (!calls?.length) return [el("li", { class: "no-calls" }, "No calls yet.")];
  return calls.map((c) =>
    el("li", { class: `call-event ${c.confirmed ? "confirmed" : "unconfirmed"}` },
      c.kind === "completed"
        ? `${when(c.timestamp)} — ${c.caller} called, ${c.duration} s`
        : `${when(c.timestamp)} — ${c.caller} called after the number expired`,
      el("span", { class: "badge" }, c.confirmed ? "confirmed" : "unconfirmed")));
}

// --- Listings ------------------------------------------------------------------------------

let listingsLoaded = false;
async function loadListings() {
  const status = $("#listings-status");
  status.textContent = "Loading the listings…";
  try {
    const { listings, error } = await api("/api/listings");
    showError(error);
    const ul = $("#listings");
    ul.replaceChildren(...listings.map((l) => {
      const button = el("button", { class: "primary simulate", "data-listing": l.id, disabled: !l.temporaryNumber }, "Simulate a buyer's call");
      button.addEventListener("click", async () => {
        button.disabled = true;
        button.textContent = "Calling…";
        try {
          await api(`/api/listings/${l.id}/simulate-call`, { method: "POST" });
          showError(null);
          pollCalls();
        } catch (e) {
          showError(e.message);
        } finally {
          button.disabled = false;
          button.textContent = "Simulate a buyer's call";
        }
      });
      return el("li", { class: "card", id: `listing-${l.id}` },
        el("h3", {}, l.title),
        el("p", {}, el("span", { class: "price" }, euro(l.price)), ` · sold by ${l.seller}`),
        l.temporaryNumber
          ? el("p", { class: "call" }, "Call the seller: ",
              el("a", { href: `tel:${l.temporaryNumber.replace(/\s/g, "")}`, class: "temp-number" }, l.temporaryNumber))
          : el("p", { class: "call stopped" }, l.error ?? "The seller has stopped taking calls for this item."),
        button,
        el("h4", { class: "visually-small" }, "Calls"),
        el("ul", { class: "calls", "aria-live": "polite", "aria-label": `Calls about ${l.title}` }, callItems([])));
    }));
    status.textContent = `${listings.length} listings.`;
    listingsLoaded = true;
    await pollCalls();
  } catch (e) {
    status.textContent = "";
    showError(e.message);
  }
}

async function pollCalls() {
  if (!listingsLoaded) return;
  try {
    const { calls } = await api("/api/calls");
    for (const [id, list] of Object.entries(calls)) {
      const ul = document.querySelector(`#listing-${id} .calls`);
      if (ul) ul.replaceChildren(...callItems(list));
    }
  } catch { /* the next poll tries again */ }
}

// --- Seller view ---------------------------------------------------------------------------

async function loadSellers() {
  const select = $("#seller-select");
  if (select.options.length) return loadSeller();
  const { sellers } = await api("/api/sellers");
  select.replaceChildren(...sellers.map((s) => el("option", { value: s }, s)));
  return loadSeller();
}
$("#seller-select").addEventListener("change", loadSeller);

function sellerRow(l) {
  const act = (what, label) => {
    const b = el("button", { class: what === "stop" ? "stop" : what, "data-listing": l.id }, label);
    b.addEventListener("click", async () => {
      b.disabled = true;
      b.textContent = "Working…";
      try {
        const updated = await api(`/api/listings/${l.id}/${what}`, { method: "POST" });
        showError(null);
        $(`#seller-${l.id}`).replaceWith(sellerRow(updated));
      } catch (e) {
        showError(e.message);
        b.disabled = false;
        b.textContent = label;
      }
    });
    return b;
  };
  const b = l.booking;
  return el("li", { id: `seller-${l.id}`, class: "seller-listing" },
    el("h3", {}, `${l.title} — ${euro(l.price)}`),
    el("dl", {},
      el("dt", {}, "Your number"), el("dd", { class: "masked" }, l.maskedNumber),
      ...(b
        ? [el("dt", {}, "Temporary number"), el("dd", { class: "booking-number" }, b.temporaryNumber),
           el("dt", {}, "Minutes left"), el("dd", { class: "minutes" }, b.minutesRemaining ?? "—"),
           el("dt", {}, "Calls left"), el("dd", { class: "calls-left" }, b.callsRemaining ?? "—"),
           el("dt", {}, "Ends"), el("dd", {}, when(b.endTime))]
        : [el("dt", {}, "Temporary number"), el("dd", { class: "no-booking" }, "Stopped: buyers can no longer call you about this item.")])),
    el("div", { class: "actions" },
      b ? [act("top-up", "Top up (MEDIUM plan)"), act("stop", "Stop this number")] : [act("restart", "Get a new number")]),
    el("h4", {}, "Call log"),
    el("ul", { class: "calls" }, callItems(l.calls)),
    el("p", { class: "records" }, l.records?.length
      ? `Platform call records (cdrs): ${l.records.length} call${l.records.length === 1 ? "" : "s"}, ${l.records.reduce((s, r) => s + (r.duration ?? 0), 0)} s in all.`
      : "Platform call records (cdrs): none yet."));
}

async function loadSeller() {
  const seller = $("#seller-select").value;
  const status = $("#seller-status");
  status.textContent = `Loading ${seller}'s listings…`;
  try {
    const { listings } = await api(`/api/sellers/${encodeURIComponent(seller)}`);
    $("#seller-listings").replaceChildren(...listings.map(sellerRow));
    status.textContent = `${listings.length} listings by ${seller}.`;
    showError(null);
  } catch (e) {
    status.textContent = "";
    showError(e.message);
  }
}

// --- Operations: the clean-up of orphaned bookings ------------------------------------------

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function cleanUpSentence(r) {
  if (!r) return "No clean-up has run yet.";
  return `Checked ${plural(r.checked, "booking")}: ${r.referenced} in use, ${plural(r.waiting, "orphan")} waiting out the grace hour, ${r.deleted} ${r.dryRun ? "to delete (report only: a real account)" : "deleted"}`
    + `${r.failed ? `, ${r.failed} could not be deleted` : ""}. Run ${when(r.time)}.`;
}

async function loadCleanUp() {
  try {
    $("#cleanup-report").textContent = cleanUpSentence((await api("/api/cleanup")).report);
  } catch { /* shown again on the next visit */ }
}

$("#cleanup").addEventListener("click", async () => {
  const b = $("#cleanup");
  b.disabled = true;
  try {
    $("#cleanup-report").textContent = cleanUpSentence((await api("/api/cleanup", { method: "POST" })).report);
    showError(null);
  } catch (e) {
    showError(e.message);
  } finally {
    b.disabled = false;
  }
});

// --- Team (FMU) ----------------------------------------------------------------------------

function renderTeam({ team, job }) {
  $("#team").replaceChildren(...team.map((n) =>
    el("li", { "data-msisdn": n.display },
      el("span", {}, n.display),
      el("span", { class: `badge ${n.status ?? ""}`, title: n.error ?? "" }, n.status ?? (n.error ? "error" : "…")))));
  const counts = {};
  for (const n of team) counts[n.status ?? "unknown"] = (counts[n.status ?? "unknown"] ?? 0) + 1;
  $("#team-summary").textContent = Object.entries(counts).map(([s, c]) => `${c} ${s}`).join(" · ");
  const bar = $("#team-progress");
  const text = $("#team-progress-text");
  if (job) {
    const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
    bar.value = pct;
    bar.setAttribute("aria-valuetext", `${pct} %`);
    const what = job.status ? `Switching to ${job.status}` : "Reading the statuses";
    text.textContent = job.error
      ? `${what}: ${job.error}`
      : `${what}: ${job.done} of ${job.total} numbers (${pct} %)${job.finished ? " — done" : ""}`;
  }
  for (const b of document.querySelectorAll(".switches button")) b.disabled = !!(job && !job.finished);
}

async function loadTeam() {
  try {
    renderTeam(await api("/api/fmu"));
  } catch (e) {
    showError(e.message);
  }
}

for (const b of document.querySelectorAll(".switches button")) {
  b.addEventListener("click", async () => {
    try {
      showError(null);
      $("#team-progress").value = 0;
      await api("/api/fmu/switch", { method: "POST", body: JSON.stringify({ status: b.dataset.status }) });
      await loadTeam();
    } catch (e) {
      showError(e.message);
    }
  });
}

// --- Tabs and polling ----------------------------------------------------------------------

let current = "listings";
function select(view) {
  current = view;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${view}`;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
  }
  showError(null);
  if (view === "listings") loadListings();
  if (view === "seller") {
    loadSellers().catch((e) => showError(e.message));
    loadCleanUp();
  }
  if (view === "team") loadTeam();
  history.replaceState(null, "", `#${view}`);
}
for (const tab of document.querySelectorAll('[role="tab"]')) {
  tab.addEventListener("click", () => select(tab.id.slice(4)));
  tab.addEventListener("keydown", (e) => {
    const tabs = [...document.querySelectorAll('[role="tab"]')];
    const i = tabs.indexOf(tab);
    const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i + tabs.length - 1) % tabs.length] : null;
    if (next) { next.focus(); select(next.id.slice(4)); }
  });
}

// A listing added with the form (sell.js): show it, and read the sellers again (maybe a new one).
document.addEventListener("listing-added", () => {
  $("#seller-select").replaceChildren();
  if (current === "listings") loadListings();
});

setInterval(() => {
  if (document.hidden) return;
  if (current === "listings") pollCalls();
  if (current === "team") loadTeam();
}, 1000);

select(["listings", "seller", "team"].includes(location.hash.slice(1)) ? location.hash.slice(1) : "listings");
