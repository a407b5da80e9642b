import { BlockIndex } from './block-index';

const records = (index: BlockIndex, key: string): number[] => {
  const out: number[] = [];
  const block = index.find(key);
  if (block < 0) return out;
  for (let p = index.firstPosting(block); p >= 0; p = index.nextPosting(p))
    out.push(index.recordAt(p));
  return out;
};

describe('BlockIndex', () => {
  it('keeps the records of each key, newest first, and nothing for unknown keys', () => {
    const index = new BlockIndex();
    index.add('ph:i:13800138000', 0, 200);
    index.add('ph:i:13800138000', 3, 200);
    index.add('em:i:a@b.cn', 3, 200);
    expect(records(index, 'ph:i:13800138000')).toEqual([3, 0]);
    expect(records(index, 'em:i:a@b.cn')).toEqual([3]);
    expect(index.find('ph:i:13800138001')).toBe(-1);
    expect(index.size).toBe(2);
  });

  it('stops a block one record past the maximum: it says too little to be used', () => {
    const index = new BlockIndex();
    for (let i = 0; i < 10; i++) index.add('nd:common', i, 3);
    expect(index.sizeOf(index.find('nd:common'))).toBe(4);
  });

  it('adds to a block found before, and grows past its initial size without losing keys', () => {
    const index = new BlockIndex();
    for (let i = 0; i < 300_000; i++) index.add(`id:${i}`, i, 200);
    const block = index.find('id:123456');
    index.addTo(block, 999_999, 200);
    expect(records(index, 'id:123456')).toEqual([999_999, 123_456]);
    for (let i = 0; i < 300_000; i += 997) expect(records(index, `id:${i}`)[0]).toBe(i);
    expect(index.size).toBe(300_000);
  });
});
