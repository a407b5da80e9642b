import { AuditLog1764300009000 } from './audit-log.migration';

export * from './audit-chain';
export * from './audit-log.migration';
export * from './audit.controller';
export * from './audit.module';
export * from './audit.service';
export * from './mask-pii';

/** The audit_log migration; ServiceCoreModule adds it to every service's DataSource. */
export const AUDIT_MIGRATIONS = [AuditLog1764300009000];
