export * from './config';
export * from './bootstrap';
export * from './service-core.module';
export * from './health.controller';
export * from './http-exception.filter';
export * from './validation';
export * from './correlation-id.decorator';
export * from './hardening';
export {
  Expensive,
  PageQueryDto,
  pageOf,
  PAGE_SIZE_MAX,
  PAGE_SIZE_DEFAULT,
  type Page,
} from '@bank-crm/auth';
