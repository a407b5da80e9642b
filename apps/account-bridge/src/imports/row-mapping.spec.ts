import { Readable } from 'node:stream';

import { readRows } from './row-reader';
import { parseHolders, toRecord } from './row-mapping';

async function collect(text: string, format: 'csv' | 'jsonl') {
  const rows = [];
  for await (const row of readRows(Readable.from([text]), format)) rows.push(row);
  return rows;
}

describe('import rows', () => {
  it('reads CSV records with their line numbers, quoted newlines, and reports bad rows in file order', async () => {
    const rows = await collect('a,b,c\n1,2,3\n"x\ny",5,6\n7,8\n9,"bad"q,10\n11,12,13\n', 'csv');
    expect(rows.map((r) => [r.row, r.error ?? r.value])).toEqual([
      [2, { a: '1', b: '2', c: '3' }],
      [4, { a: 'x\ny', b: '5', c: '6' }],
      [5, '(row): 2 fields where the header has 3'],
      [6, { a: '9', b: '"bad"q', c: '10' }],
      [7, { a: '11', b: '12', c: '13' }],
    ]);
  });

  it('reads JSONL and rejects lines that are not JSON objects', async () => {
    const rows = await collect('{"a":1}\n\n[1]\n{oops\n', 'jsonl');
    expect(rows.map((r) => [r.row, r.error ?? r.value])).toEqual([
      [1, { a: 1 }],
      [3, '(row): not a JSON object'],
      [4, expect.stringMatching(/^\(row\): invalid JSON/)],
    ]);
  });

  it('parses holders and validates against SourceAccountRecord v1', () => {
    expect(parseHolders('CB-1:primary-holder;CB:2:joint-holder:2024-01-01')).toEqual({
      holders: [
        { sourceKey: 'CB-1', role: 'primary-holder' },
        { sourceKey: 'CB:2', role: 'joint-holder', validFrom: '2024-01-01' },
      ],
    });
    const ok = toRecord(
      'accounts',
      'core',
      {
        sourceKey: 'A-1',
        accountNumber: '6222020200112233445',
        productType: 'savings',
        currency: 'CNY',
        balance: '1.5',
        balanceAsOf: '2026-11-28T00:00:00Z',
        status: 'open',
        openedOn: '2020-01-01',
        holders: 'P-1:primary-holder',
        observedAt: '2026-11-28T00:00:00Z',
      },
      'csv',
    );
    expect(ok).toMatchObject({ record: { sourceSystem: 'core', holders: [{ sourceKey: 'P-1' }] } });
    expect(toRecord('accounts', 'core', { sourceSystem: 'cards', sourceKey: 'A' }, 'csv')).toEqual({
      error: 'sourceSystem: "cards" in a file of system core',
    });
  });
});
