import type { PostgresDataSourceOptions as PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

export interface PostgresOptionsInput {
  url: string;
  poolSize: number;
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** The one place that decides how services talk to PostgreSQL. Schemas change only by migrations. */
export function postgresOptions(input: PostgresOptionsInput): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: input.url,
    applicationName: input.applicationName,
    entities: input.entities,
    migrations: input.migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: input.poolSize,
      // no JIT compilation: these are short OLTP statements, and on a table whose statistics lag
      // behind its growth the planner's inflated costs switch JIT on, which then costs more
      // (measured: 0.5-2 s per candidate read) than the statement itself
      options: '-c jit=off',
    },
    // TypeORM's own logger prints query parameters, which can hold personal data: keep it off
    logging: false,
  };
}
