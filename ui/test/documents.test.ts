import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CUSTOMER } from '../src/lib/customer.ts';
import { schemaErrors } from './schema.ts';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(path.join(dir, d.name)) : /\.(ts|svelte)$/.test(d.name) ? [path.join(dir, d.name)] : []);
}

/** GraphQL documents written as plain template literals (no interpolation) anywhere in the console. */
function literalDocuments(): { file: string; doc: string }[] {
  const out: { file: string; doc: string }[] = [];
  for (const file of sources(src)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/`(\s*(?:query|mutation|subscription)\b[\s\w]*[({][^`]*|\{\s*\w+[\s({][^`]*)`/g)) {
      if (!m[1].includes('${')) out.push({ file: path.relative(src, file), doc: m[1] });
    }
  }
  return out;
}

describe('GraphQL documents against src/api/schema', () => {
  const docs = literalDocuments();

  it('finds the documents of every console (a regex that finds nothing would prove nothing)', () => {
    expect(docs.length).toBeGreaterThan(25);
  });

  it.each(docs.map((d) => [d.file, d.doc.trim().split('\n')[0].slice(0, 60), d.doc] as const))('%s: %s', (_file, _head, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });

  it('the screen-pop query (built from shared fields) is valid', () => {
    expect(schemaErrors(CUSTOMER)).toEqual([]);
  });
});
