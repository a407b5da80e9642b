import { ConflictException } from '@nestjs/common';

export class StatusOverrideRefusedException extends ConflictException {
  constructor(reason: string) {
    super({ message: `status override refused: ${reason}`, error: 'Conflict' });
  }
}
