// Column mapping happens in the browser: the chosen columns are renamed to the names the import
// endpoint expects (phone, name), every other column stays as a custom field. Only the header line changes.

/** Split one CSV line (RFC 4180 quotes; a BOM is dropped). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  const s = line.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

export function csvHeader(text: string): string[] {
  const end = text.search(/\r?\n/);
  return splitCsvLine(end === -1 ? text : text.slice(0, end)).filter((h) => h !== '');
}

const quote = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Rename the mapped columns; a column already called phone/name that was not chosen gets a suffix
 * so it cannot shadow the chosen one.
 */
export function remapHeader(text: string, mapping: { phone: string; name?: string | null }): string {
  const end = text.search(/\r?\n/);
  const head = splitCsvLine(end === -1 ? text : text.slice(0, end));
  const renamed = head.map((h) => {
    if (h === mapping.phone) return 'phone';
    if (mapping.name && h === mapping.name) return 'name';
    if (h === 'phone' || h === 'name') return `${h}_original`;
    return h;
  });
  return renamed.map(quote).join(',') + (end === -1 ? '' : text.slice(end));
}
