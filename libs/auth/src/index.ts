export * from './roles';
export * from './decorators';
