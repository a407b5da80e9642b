/** The part of autocannon's API the 360-read benchmark uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      setupRequest?: (req: Request, context: Record<string, unknown>) => Request | undefined;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      /** Requests per second over all connections (a per-connection budget per second). */
      overallRate?: number;
      headers?: Record<string, string>;
      requests?: Request[];
      timeout?: number;
    }
    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
      duration: number;
      requests: { total: number; average: number };
    }
    interface Instance extends EventEmitter, PromiseLike<Result> {
      on(
        event: 'response',
        listener: (
          client: unknown,
          statusCode: number,
          resBytes: number,
          responseTimeMs: number,
        ) => void,
      ): this;
      stop(): void;
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
