import { ConflictException, NotFoundException } from '@nestjs/common';

export class CustomerNotFoundException extends NotFoundException {
  constructor(id: string) {
    super(`customer ${id} not found`);
  }
}

export class IdentifierTakenException extends ConflictException {
  constructor(type: string) {
    super({
      message: `an identifier of type ${type} with this number already belongs to a customer`,
      error: 'Conflict',
    });
  }
}

/** A change addressed to an absorbed customer id: changes go to the survivor. */
export class CustomerMergedException extends ConflictException {
  constructor(id: string, survivorId: string) {
    super({
      message: `customer ${id} was merged into ${survivorId}; address changes to ${survivorId}`,
      error: 'Conflict',
    });
  }
}

export class CustomerVersionConflictException extends ConflictException {
  constructor(id: string, expected: number, actual: number) {
    super({
      message: `customer ${id} is at version ${actual}, not ${expected}; reload and retry`,
      error: 'Conflict',
    });
  }
}
