// The clean-up of orphans: bookings no listing refers to (a lost answer, a crash before the id was
// stored) are still billed; once an hour old, they are deleted. Run by the Cron Trigger and by
// the page's "Clean up orphans now" button; the last report is kept in KV.
const GRACE_MS = 60 * 60 * 1000;
const LAST = "cleanup:last";

export async function cleanUpOrphans(client, kv, dryRun) {
  const r = await client.bookings.cleanUp({ store: kv, graceMs: GRACE_MS, dryRun });
  const report = {
    time: new Date().toISOString(),
    checked: r.checked,
    referenced: r.referenced,
    waiting: r.waiting.length,
    deleted: r.deleted.length,
    dryRun,
    failed: r.failed.length,
    deletedIds: r.deleted.map((b) => b.id),
  };
  await kv.put(LAST, JSON.stringify(report));
  return report;
}

export const lastCleanUp = (kv) => kv.get(LAST, "json");
