import { ConflictException, NotFoundException } from '@nestjs/common';

export class MergeRefusedException extends ConflictException {
  constructor(reason: string) {
    super({ message: `merge refused: ${reason}`, error: 'Conflict' });
  }
}

export class NoActiveMergeException extends NotFoundException {
  constructor(id: string) {
    super(`customer ${id} is not merged into another customer`);
  }
}
