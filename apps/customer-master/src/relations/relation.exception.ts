import { ConflictException, NotFoundException } from '@nestjs/common';

export class RelationNotFoundException extends NotFoundException {
  constructor(id: string) {
    super(`relation ${id} not found`);
  }
}

export class RelationOverlapException extends ConflictException {
  constructor(type: string) {
    super({
      message: `these customers already have a "${type}" relation (or its reverse) in an overlapping period; end it first or choose dates that do not overlap`,
      error: 'Conflict',
    });
  }
}

export class RelationAlreadyEndedException extends ConflictException {
  constructor(id: string, detail: string) {
    super({ message: `relation ${id} cannot be ended: ${detail}`, error: 'Conflict' });
  }
}
