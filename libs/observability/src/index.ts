export * from './logger';
export * from './metrics';
export * from './metrics.controller';
export * from './http-metrics.middleware';
