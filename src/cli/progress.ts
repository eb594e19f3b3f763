import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, total?: number, label?: string): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (stdout stays clean for --json). */
export function progressBar(what: string, total = 0): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  // total 0: the amount is not known up front (a streamed file); count without a bar.
  const format = total > 0 ? `${what} [{bar}] {value}/{total} {label}` : `${what} {value} {label}`;
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (value, newTotal, label = '') => {
      if (newTotal !== undefined && newTotal !== bar.getTotal()) bar.setTotal(newTotal);
      bar.update(value, { label });
    },
    stop: () => bar.stop(),
  };
}
