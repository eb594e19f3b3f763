/** "礼貌用语=10" lines -> scorecard items; returns null with the bad line when one does not parse. */
export function parseCriteria(text: string): { items: Record<string, number> } | { badLine: string } {
  const items: Record<string, number> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*[=＝:：]\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    if (!m) return { badLine: line };
    items[m[1]] = Number(m[2]);
  }
  return { items };
}
