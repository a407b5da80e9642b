import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { NestMicroservice } from '@nestjs/microservices';

import type { ReliableKafkaServer } from './reliable-kafka.server';
import { RethrowRpcExceptionFilter } from './rethrow-rpc-exception.filter';

/**
 * Connects a `ReliableKafkaServer` to a hybrid NestJS application with the
 * `RethrowRpcExceptionFilter` in force.
 *
 * `app.connectMicroservice({ strategy })` followed by `microservice.useGlobalFilters(...)` does
 * not work: `connectMicroservice` registers the handlers at once and each handler takes a snapshot
 * of the global filters, so a filter added afterwards is ignored (NestJS only logs "Cannot apply
 * global exception filters: registration must occur before initialization"). Without the filter,
 * NestJS replaces every handler error with `{ status: 'error', message: 'Internal server error' }`:
 * a `PermanentHandlerError` is then retried like any other error and the dead letter loses the
 * real error text. Here the initialisation is deferred until the filter is in place; the
 * application's own init runs the lifecycle hooks, so the microservice must not run them again.
 */
export function connectReliableKafkaServer(
  app: INestApplication,
  server: ReliableKafkaServer,
): INestMicroservice {
  const microservice = app.connectMicroservice(
    { strategy: server },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionFilter());
  if (microservice instanceof NestMicroservice) microservice.setIsInitHookCalled(true);
  return microservice;
}
