export type ConsumerPhase = 'idle' | 'connecting' | 'running' | 'restarting' | 'stopped';

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
