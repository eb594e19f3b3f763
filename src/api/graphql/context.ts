import type { DatabasePool } from 'slonik';
import type { EventStore } from '../../eventstore/types.ts';
import type { Auth } from '../auth/auth.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import type { ApiProjector } from '../readModel/apiProjector.ts';
import type { ReadModels } from '../readModels.ts';

/** What every resolver gets (merged into mercurius' context). */
export interface ApiContext {
  store: EventStore;
  pool: DatabasePool;
  auth: Auth;
  projector: ApiProjector;
  readModels: ReadModels;
  principal?: Principal;
  /** Why a presented token was refused (forged, expired, revoked), for the UNAUTHENTICATED error. */
  authError?: string;
  /** The HTTP request (absent on WebSocket operations). */
  request?: unknown;
  /** Computed on first use per request. */
  scope: () => Promise<Scope>;
  /** Where a recording download link points (relative). */
  recordingUrl: (recordingId: string) => string;
}
