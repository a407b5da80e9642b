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
