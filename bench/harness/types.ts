/** One measured figure, with the baseline measured in the same run beside it. */
export interface Figure {
  /** e.g. "records/s", "p99 latency" */
  metric: string;
  unit: string;
  /** Which way is better, for the ratio and the chart. */
  better: 'higher' | 'lower';
  value: number;
  /** The baseline's value for the same metric, measured in the same run. */
  baseline?: number;
  baselineName?: string;
  /** Size or scenario the figure belongs to, e.g. "100k records". */
  scenario?: string;
  /**
   * The data size the figure was measured at (customers, records, rows), when the benchmark
   * knows it. Figures of the same metric at several sizes are compared in the report's "How cost
   * grows with size" table (see scaling.ts); the scenario may, and usually does, repeat it.
   */
  size?: number;
}

export interface BenchContext {
  /** Scenario sizes asked for on the command line (each benchmark has defaults). */
  sizes?: number[];
  /** Report progress on stderr. */
  progress(message: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  /** One run; the harness repeats it and reports the median with min/max. */
  run(ctx: BenchContext): Promise<Figure[]>;
}

export interface SummarisedFigure extends Figure {
  min: number;
  max: number;
  runs: number;
  baselineMin?: number;
  baselineMax?: number;
}
