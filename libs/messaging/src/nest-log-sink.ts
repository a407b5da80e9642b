import { Logger } from '@nestjs/common';

import type { LogSink } from './kafka/kafka-factory';

/** Routes messaging logs to the application's logger (structured JSON in services). */
export const nestLogSink: LogSink = {
  log: (message, context) => Logger.log(message, context),
  warn: (message, context) => Logger.warn(message, context),
  error: (message, context) => Logger.error(message, context),
};
