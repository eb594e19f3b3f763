import { describe, expect, it } from 'vitest';
import { LeadTable } from '../../src/floor/leadTable.ts';

describe('the lead table keeps time zones by their own name', () => {
  it('spellings of one zone from a list file read back as the zone, and every spelling of every zone fits', () => {
    const t = new LeadTable();
    const spellings = ['Asia/Shanghai', 'asia/shanghai', 'ASIA/SHANGHAI', 'America/New_York', 'america/new_york'];
    const ids = spellings.map((zone, n) => {
      const i = t.add(`+86138001380${String(n).padStart(2, '0')}`, n + 1);
      t.setZone(i, zone);
      return i;
    });
    expect(ids.map((i) => t.view(i).timeZone)).toEqual(['Asia/Shanghai', 'Asia/Shanghai', 'Asia/Shanghai', 'America/New_York', 'America/New_York']);
    // 70,000 case spellings of one zone (more than a 16-bit index could number) all stay that zone.
    const i = t.add('+8613800138099', 99);
    const letters = 'america/argentina/buenos_aires';
    for (let k = 0; k < 70_000; k++) {
      let bit = 0;
      t.setZone(i, [...letters].map((c) => (/[a-z]/.test(c) && (k >> bit++) & 1 ? c.toUpperCase() : c)).join(''));
    }
    expect(t.view(i).timeZone).toBe('America/Buenos_Aires'); // the runtime's own name for it
    // A zone first seen after all those spellings still gets its own entry (a wrapped index would read another zone).
    t.setZone(i, 'asia/shanghai');
    expect(t.view(i).timeZone).toBe('Asia/Shanghai');
    expect(t.view(i).timeZone).toBe('Asia/Shanghai');
  });
});
