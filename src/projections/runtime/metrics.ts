import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Projection lag and throughput, registered in the registry the API serves at /metrics. */
export class ProjectionMetrics {
  readonly position: Gauge<'projection'>;
  readonly lagEvents: Gauge<'projection'>;
  readonly lagSeconds: Gauge<'projection'>;
  readonly events: Counter<'projection'>;
  readonly batchSeconds: Histogram<'projection'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.position = new Gauge({ name: 'callstream_projection_position', help: 'Last global position applied', labelNames: ['projection'], registers });
    this.lagEvents = new Gauge({ name: 'callstream_projection_lag_events', help: 'Events in the log not yet applied', labelNames: ['projection'], registers });
    this.lagSeconds = new Gauge({ name: 'callstream_projection_lag_seconds', help: 'Age of the newest applied event when applied (0 when caught up)', labelNames: ['projection'], registers });
    this.events = new Counter({ name: 'callstream_projection_events_total', help: 'Events applied', labelNames: ['projection'], registers });
    this.batchSeconds = new Histogram({
      name: 'callstream_projection_batch_seconds',
      help: 'Time to apply and commit one batch',
      labelNames: ['projection'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }
}

export function createProjectionMetrics(registry = new Registry()): ProjectionMetrics {
  return new ProjectionMetrics(registry);
}
