import { Module } from '@nestjs/common';

import { AccountHoldingsConsumer } from './account-holdings.consumer';
import { LifecycleController } from './lifecycle.controller';
import { LifecycleScheduler } from './lifecycle.scheduler';
import { LifecycleService } from './lifecycle.service';

@Module({
  controllers: [AccountHoldingsConsumer, LifecycleController],
  providers: [LifecycleService, LifecycleScheduler],
  exports: [LifecycleService],
})
export class LifecycleModule {}
