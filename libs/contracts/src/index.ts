export * from './services';
export * from './envelope';
export * from './event-definition';
export * from './common-schemas';
export * from './registry';
export * from './validation';
export * from './events/account-bridge/source-party-recorded.v1';
export * from './events/customer-master/customer-created.v1';
