import { normalizeDate } from './date';

describe('date', () => {
  it.each([
    ['1949-12-31', '1949-12-31'],
    ['1949/1/5', '1949-01-05'],
    ['19491231', '1949-12-31'],
    ['1949年12月31日', '1949-12-31'],
    ['２０００-０２-２９', '2000-02-29'],
  ])('%s -> %s', (raw, value) => {
    expect(normalizeDate(raw)).toEqual({ value, invalid: false, raw });
  });
  it.each(['1990-02-30', '1900-02-29', '1990-13-01', '0000-00-00', 'yesterday', '1066-10-14'])(
    'flags %s as invalid and keeps it raw',
    (raw) => {
      expect(normalizeDate(raw)).toEqual({ value: null, invalid: true, raw });
    },
  );
  it('missing is not invalid', () => {
    expect(normalizeDate(null).invalid).toBe(false);
  });
});
