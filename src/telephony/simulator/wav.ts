/** Minimal 8 kHz 16-bit mono PCM WAV writer: audible parts get a quiet 440 Hz tone, the rest silence. */
import fs from 'node:fs';
import path from 'node:path';

const RATE = 8000;

export function writeWav(file: string, segments: Array<[number, boolean]>): number {
  const samples = segments.reduce((n, [ms]) => n + Math.round((ms * RATE) / 1000), 0);
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples * 2, 40);
  let i = 0;
  for (const [ms, audible] of segments) {
    const n = Math.round((ms * RATE) / 1000);
    for (let k = 0; k < n; k++, i++) {
      if (audible) buf.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / RATE)), 44 + i * 2);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
  return samples;
}
