import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. Metric names are prefixed `bankcrm_`; labels never carry
 * customer data (topics, routes and outcome codes only).
 */
export const metricsRegistry = new Registry();
let defaultsStarted = false;

export function startDefaultMetrics(service: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'bankcrm_' });
}

function getOrCreate<T>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

export function counter(name: string, help: string, labelNames: string[] = []): Counter {
  return getOrCreate(
    name,
    () => new Counter({ name, help, labelNames, registers: [metricsRegistry] }),
  );
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge {
  return getOrCreate(
    name,
    () => new Gauge({ name, help, labelNames, registers: [metricsRegistry] }),
  );
}

export function histogram(
  name: string,
  help: string,
  labelNames: string[] = [],
  buckets?: number[],
): Histogram {
  return getOrCreate(
    name,
    () =>
      new Histogram({
        name,
        help,
        labelNames,
        registers: [metricsRegistry],
        ...(buckets ? { buckets } : {}),
      }),
  );
}
