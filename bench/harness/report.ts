import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { scalingTable } from './scaling';
import { ratio } from './stats';
import type { SummarisedFigure } from './types';

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '-' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function table(figures: SummarisedFigure[]): string {
  const rows = [
    [
      'scenario',
      'metric',
      'value (median)',
      'min..max',
      'baseline',
      'baseline min..max',
      'vs baseline',
      'runs',
    ],
    ...figures.map((f) => [
      f.scenario ?? '',
      `${f.metric} (${f.unit}, ${f.better} is better)`,
      fmt(f.value),
      `${fmt(f.min)}..${fmt(f.max)}`,
      f.baseline === undefined ? '-' : `${fmt(f.baseline)} (${f.baselineName ?? 'baseline'})`,
      f.baselineMin === undefined ? '-' : `${fmt(f.baselineMin)}..${fmt(f.baselineMax)}`,
      ratio(f) === undefined ? '-' : `${fmt(ratio(f))}x`,
      String(f.runs),
    ]),
  ];
  return rows
    .map((r) => `| ${r.join(' | ')} |`)
    .join('\n')
    .replace(/\n/, `\n|${' --- |'.repeat(rows[0].length)}\n`);
}

/** A horizontal bar chart of each figure against its baseline (normalised per row). */
export function svgChart(title: string, figures: SummarisedFigure[]): string {
  const rowH = 34;
  const width = 760;
  const labelW = 300;
  const barW = width - labelW - 90;
  const withBase = figures.filter((f) => f.baseline !== undefined);
  const height = 40 + withBase.length * rowH + 30;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bars = withBase
    .map((f, i) => {
      const max = Math.max(f.value, f.baseline ?? 0) || 1;
      const y = 40 + i * rowH;
      const w1 = (f.value / max) * barW;
      const w2 = ((f.baseline ?? 0) / max) * barW;
      return [
        `<text x="4" y="${y + 13}" font-size="11">${esc(`${f.scenario ? `${f.scenario}: ` : ''}${f.metric}`)}</text>`,
        `<rect x="${labelW}" y="${y}" width="${w1.toFixed(1)}" height="12" fill="#2b6cb0"/>`,
        `<text x="${labelW + w1 + 4}" y="${y + 10}" font-size="10">${fmt(f.value)} ${esc(f.unit)}</text>`,
        `<rect x="${labelW}" y="${y + 14}" width="${w2.toFixed(1)}" height="12" fill="#a0aec0"/>`,
        `<text x="${labelW + w2 + 4}" y="${y + 24}" font-size="10">${fmt(f.baseline)} (${esc(f.baselineName ?? 'baseline')})</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="4" y="20" font-size="14" font-weight="bold">${esc(title)}</text>
<text x="${labelW}" y="34" font-size="10" fill="#2b6cb0">■ bank-crm</text><text x="${labelW + 80}" y="34" font-size="10" fill="#718096">■ baseline (same run)</text>
${bars}
</svg>
`;
}

/**
 * The "How cost grows with size" subsection (heading, explanation and table), or '' for a run
 * measured at one size only.
 */
export function scalingSection(figures: SummarisedFigure[], heading = '###'): string {
  const scaling = scalingTable(figures);
  return scaling === undefined ? '' : `${heading} How cost grows with size\n\n${scaling}\n`;
}

/**
 * Appends a dated section with the table and a chart to docs/benchmarks.md, and after them, for a
 * run at several sizes, how cost grows with size.
 */
export function appendReport(
  root: string,
  name: string,
  description: string,
  command: string,
  figures: SummarisedFigure[],
): string {
  const stamp = new Date().toISOString();
  const chartPath = join(
    root,
    'docs',
    'benchmarks',
    `${name}-${stamp.slice(0, 19).replace(/[:T]/g, '-')}.svg`,
  );
  mkdirSync(dirname(chartPath), { recursive: true });
  writeFileSync(chartPath, svgChart(`${name} (${stamp.slice(0, 10)})`, figures));
  const doc = join(root, 'docs', 'benchmarks.md');
  if (!existsSync(doc)) {
    writeFileSync(
      doc,
      '# Benchmarks\n\nWritten by `npm run bench -- <name>`; never edited by hand. Each figure is the median of the runs with min..max, beside its baseline measured in the same run.\n',
    );
  }
  appendFileSync(
    doc,
    `\n## ${name} — ${stamp}\n\n${description}\n\nMachine: ${machine()}. Command: \`${command}\`\n\n${table(figures)}\n\n![${name}](${relative(dirname(doc), chartPath)})\n`,
  );
  const scaling = scalingSection(figures);
  if (scaling) appendFileSync(doc, `\n${scaling}`);
  return doc;
}
