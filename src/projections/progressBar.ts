import cliProgress from 'cli-progress';
import type { RebuildProgress } from './runtime/rebuild.ts';

/** A terminal progress bar for `rebuild`: pass `bar.onProgress`, call `bar.stop()` when done. */
export function rebuildProgressBar(stream: NodeJS.WritableStream = process.stderr) {
  const bar = new cliProgress.SingleBar(
    { format: '重建 rebuild {projections} [{bar}] {percentage}% | {value}/{total} position | {events} events | {phase}', stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(p: RebuildProgress) {
      const payload = { projections: p.projections.join(','), events: p.events.toLocaleString('zh-CN'), phase: p.phase };
      if (!started) {
        bar.start(Math.max(p.head, 1), 0, payload);
        started = true;
      }
      bar.setTotal(Math.max(p.head, p.position, 1));
      bar.update(p.position, payload);
    },
    stop: () => bar.stop(),
  };
}
