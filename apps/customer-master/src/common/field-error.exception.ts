import { BadRequestException } from '@nestjs/common';

/** A 400 in the same shape as the validation pipe's: one entry per offending field. */
export class FieldErrorException extends BadRequestException {
  constructor(errors: { field: string; message: string }[]) {
    super({
      error: 'Bad Request',
      message: `invalid request: ${errors.map((e) => e.field).join(', ')}`,
      errors,
    });
  }
}
