export * from './infra';
export * from './kafka';
export * from './service-harness';
