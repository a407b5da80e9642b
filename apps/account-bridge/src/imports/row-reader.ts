import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

import { parse, type CsvError } from 'csv-parse';

export type ImportFormat = 'csv' | 'jsonl';

/** One row of an import file: its line number, raw text, and the parsed value or why it failed. */
export interface RawRow {
  /** Line number in the file (1-based; for a CSV record spanning lines, its last line). */
  row: number;
  raw: string;
  value?: Record<string, unknown>;
  error?: string;
}

const MAX_RAW = 8_192;

function clip(raw: string): string {
  const text = raw.replace(/\r?\n$/, '');
  return text.length > MAX_RAW ? `${text.slice(0, MAX_RAW)}…` : text;
}

/**
 * Streams the rows of a CSV (header line first, RFC 4180 quoting, UTF-8 with or without BOM) or
 * JSONL file without holding the file in memory: backpressure comes from the consumer of the
 * iterator. Rows the parser cannot read are yielded with an error, and reading goes on.
 */
export async function* readRows(
  input: Readable,
  format: ImportFormat,
  options: { knownColumns?: readonly string[] } = {},
): AsyncGenerator<RawRow> {
  if (format === 'jsonl') {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let row = 0;
    for await (const line of lines) {
      row += 1;
      if (line.trim() === '') continue;
      try {
        const value: unknown = JSON.parse(line);
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          yield { row, raw: clip(line), error: '(row): not a JSON object' };
        } else {
          yield { row, raw: clip(line), value: value as Record<string, unknown> };
        }
      } catch (error) {
        yield { row, raw: clip(line), error: `(row): invalid JSON: ${(error as Error).message}` };
      }
    }
    return;
  }

  const skipped: RawRow[] = [];
  let header: string[] | null = null;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // a stray quote inside a field is kept as text (the field's own validation judges it)
    relax_quotes: true,
    max_record_size: 1_048_576,
    raw: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const lines = (err as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({
        row: lines,
        raw: clip(raw ?? ''),
        error: `(row): unreadable CSV: ${err?.message ?? 'parse error'}`,
      });
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const item of parser as AsyncIterable<{
    record: string[];
    raw: string;
    info: { lines: number };
  }>) {
    const { record, raw, info } = item;
    // rows the parser skipped are reported in file order, before the next good row
    while (skipped.length && skipped[0].row < info.lines) yield skipped.shift()!;
    if (!header) {
      header = record.map((h) => h.trim());
      const unknown = options.knownColumns
        ? header.filter((h) => !options.knownColumns!.includes(h))
        : [];
      if (unknown.length) {
        throw new Error(
          `unknown CSV column(s) ${unknown.join(', ')}; expected some of: ${options.knownColumns!.join(', ')}`,
        );
      }
      continue;
    }
    if (record.length !== header.length) {
      yield {
        row: info.lines,
        raw: clip(raw),
        error: `(row): ${record.length} fields where the header has ${header.length}`,
      };
      continue;
    }
    const value: Record<string, unknown> = {};
    header.forEach((column, i) => {
      // trimmed here, not by the parser: its trim option loses the row after a stray quote
      const cell = record[i].trim();
      if (cell !== '') value[column] = cell;
    });
    yield { row: info.lines, raw: clip(raw), value };
  }
  while (skipped.length) yield skipped.shift()!;
}
