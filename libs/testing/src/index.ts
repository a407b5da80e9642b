export * from './infra';
export * from './kafka';
export * from './service-harness';
export * from './auth';
export * from './route-policy';
export * from './attack-tokens';
export * from './dev-keys';
export * from './directory-service-suite';
