// What counts as a leak in text the library hands out (log lines, error messages): a secret
// verbatim, or a full phone number in any way it may be written (digits with or without spaces,
// dots, slashes, dashes, a leading + or 0). Plain web JavaScript: Worker scripts import it too.

/** A pattern matching `msisdn` (e.g. "32477121212") in any usual form: its 9 national digits, separators allowed between them. */
export function numberPattern(msisdn) {
  const national = String(msisdn).replace(/\D/g, "").replace(/^(?:00)?32/, "");
  return new RegExp(national.split("").join("[\\s./()-]*"));
}

/**
 * The leaks in `texts` (strings, or [label, text] pairs): each as a sentence naming the text and
 * what it holds. `secrets`: strings never to appear; `numbers`: phone numbers never to appear whole.
 */
export function findLeaks(texts, { secrets = [], numbers = [] }) {
  const patterns = numbers.map((n) => [n, numberPattern(n)]);
  const leaks = [];
  texts.forEach((entry, i) => {
    const [label, text] = Array.isArray(entry) ? entry : [`#${i}`, entry];
    const found = [
      ...secrets.filter((s) => s && String(text).includes(s)).map((s) => `secret ${JSON.stringify(`${s.slice(0, 6)}…`)}`),
      ...patterns.filter(([, p]) => p.test(String(text))).map(([n]) => `number ${n}`),
    ];
    if (found.length) leaks.push(`${label} holds ${found.join(", ")}: ${JSON.stringify(String(text).slice(0, 300))}`);
  });
  return leaks;
}
