import type { RecordedEvent } from './types.ts';

/**
 * Upcasters lift events written under an older schema version to the current one, on read.
 * One function per (type, fromVersion); they chain until no further upcaster applies.
 * Unknown types pass through untouched: a reader that does not know a type ignores it, never crashes.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: (data: any) => Record<string, unknown>): this {
    this.byKey.set(`${type}@${fromVersion}`, (e) => ({
      ...e,
      data: upcast(e.data),
      metadata: { ...e.metadata, schemaVersion: fromVersion + 1 },
    }));
    return this;
  }

  upcast = (event: RecordedEvent): RecordedEvent => {
    let current = event;
    for (let guard = 0; guard < 100; guard++) {
      const step = this.byKey.get(`${current.type}@${current.metadata.schemaVersion ?? 1}`);
      if (!step) return current;
      current = step(current);
    }
    throw new Error(`upcaster loop for ${event.type}`);
  };
}

export const noUpcast: Upcaster = (e) => e;
