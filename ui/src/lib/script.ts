/** Paragraphs of a campaign script (话术), blank-line separated; FAQ entries are paragraphs too. */
export function paragraphs(script: string | null | undefined): string[] {
  return (script ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

/** Paragraphs containing every word of the query (case-insensitive; Chinese needs no word splitting). */
export function searchScript(script: string | null | undefined, query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return paragraphs(script).filter((p) => words.every((w) => p.toLowerCase().includes(w)));
}
