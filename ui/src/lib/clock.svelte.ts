/** A ticking "now" for time-in-state displays; one per page, started by an $effect. */
export class Clock {
  now = $state(Date.now());
  start(): () => void {
    const t = setInterval(() => (this.now = Date.now()), 1000);
    return () => clearInterval(t);
  }
}

export function secondsSince(iso: string | null | undefined, now: number): number | null {
  return iso ? Math.max(0, Math.floor((now - Date.parse(iso)) / 1000)) : null;
}
