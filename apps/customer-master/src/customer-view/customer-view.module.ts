import { Global, Module } from '@nestjs/common';

import { CustomerViewConsumer } from './customer-view.consumer';
import { CustomerViewController } from './customer-view.controller';
import { CustomerViewProjector } from './customer-view.projector';
import { CustomerViewRebuilder } from './customer-view.rebuilder';
import { CustomerViewService } from './customer-view.service';
import { EventPublisher } from './event-publisher';

/** The unified customer view (360). Global: every feature publishes through EventPublisher. */
@Global()
@Module({
  controllers: [CustomerViewConsumer, CustomerViewController],
  providers: [CustomerViewProjector, CustomerViewService, CustomerViewRebuilder, EventPublisher],
  exports: [EventPublisher, CustomerViewProjector],
})
export class CustomerViewModule {}
