export * from './database';
export * from './migrations';
export * from './data-source-options';
export * from './jsonb-array';
