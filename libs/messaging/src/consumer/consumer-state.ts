/**
 * - idle: not started; connecting: first start; running: in its group and fetching;
 * - stalled: in its group, but no successful fetch or heartbeat for a while (e.g. the broker is
 *   down or restarting); it goes back to running by itself, or is rebuilt when it stays stalled;
 * - restarting: crashed or stalled, being rebuilt; stopped: closed.
 */
export type ConsumerPhase =
  'idle' | 'connecting' | 'running' | 'stalled' | 'restarting' | 'stopped';

/** Shared, read by readiness: is the consumer in its group and fetching? */
export class ConsumerState {
  phase: ConsumerPhase = 'idle';
  lastError: string | null = null;
  restarts = 0;
  lastActivityAt = 0;

  get ready(): boolean {
    return this.phase === 'running';
  }
}
