// The "List an item" form. The seller's number is checked and formatted as they type by
// proximus-api itself, running here in the browser (its browser entry, which the Worker serves
// under /pkg/). The Worker checks it again, stores the listing and books its temporary number;
// the page never holds a token. Once listed, the form forgets the number.
import { formatMsisdn, maskMsisdn, normalizeMsisdn } from "/pkg/browser.js";

const form = document.querySelector("#sell-form");
const phone = form.elements.phone;
const check = document.querySelector("#sell-phone-check");
const status = document.querySelector("#sell-status");
const submit = form.querySelector('button[type="submit"]');
const HINT = check.textContent;

/** The number as the library reads it, or the library's own message saying why it cannot. */
function readPhone() {
  try {
    const msisdn = normalizeMsisdn(phone.value);
    return { msisdn, text: `${formatMsisdn(msisdn)} — shown to you as ${maskMsisdn(msisdn)}; buyers call a temporary number.` };
  } catch (e) {
    return { error: e.message };
  }
}

function showCheck() {
  const r = phone.value.trim() ? readPhone() : { text: HINT };
  check.textContent = r.error ?? r.text;
  check.classList.toggle("field-error", !!r.error);
  phone.setAttribute("aria-invalid", String(!!r.error));
  return r;
}

phone.addEventListener("input", showCheck);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const r = showCheck();
  if (r.error || !r.msisdn) {
    phone.focus();
    return; // a bad number is never sent
  }
  submit.disabled = true;
  status.className = "";
  status.textContent = "Listing it and getting its temporary number…";
  try {
    const res = await fetch("/api/listings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: form.elements.title.value, price: Number(form.elements.price.value), seller: form.elements.seller.value, phone: r.msisdn }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error ?? `The server answered HTTP ${res.status}.`);
    form.reset();
    showCheck();
    status.textContent = `Listed “${body.listing.title}”: buyers call ${body.listing.temporaryNumber ?? "—"}.`;
    document.dispatchEvent(new CustomEvent("listing-added", { detail: body.listing }));
  } catch (e) {
    status.className = "field-error";
    status.textContent = e instanceof TypeError ? "The demo server cannot be reached: is `make demo` still running?" : e.message;
  } finally {
    submit.disabled = false;
  }
});

submit.disabled = false;
