import { Module, type DynamicModule } from '@nestjs/common';

import { AuditController } from './audit.controller';
import { AUDIT_SERVICE_NAME, AuditService } from './audit.service';

/** The audit trail of one service: AuditService for writers, GET /audit for auditors. */
@Module({})
export class AuditModule {
  static forRoot(options: { serviceName: string }): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      controllers: [AuditController],
      providers: [{ provide: AUDIT_SERVICE_NAME, useValue: options.serviceName }, AuditService],
      exports: [AuditService],
    };
  }
}
