import { postgresOptions } from './data-source-options';

describe('postgresOptions', () => {
  it('turns JIT compilation off for every connection and never lets TypeORM log queries', () => {
    const options = postgresOptions({
      url: 'postgres://u@h:5432/db',
      poolSize: 7,
      applicationName: 'test',
      entities: [],
      migrations: [],
    });
    expect(options.extra).toEqual({ max: 7, options: '-c jit=off' });
    expect(options.logging).toBe(false);
    expect(options.synchronize).toBe(false);
  });
});
