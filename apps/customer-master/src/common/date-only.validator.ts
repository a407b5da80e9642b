import { ValidateBy, type ValidationOptions } from 'class-validator';

import { isDateOnly } from './dates';

/** A real calendar date written `YYYY-MM-DD`. */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateOnly',
      validator: {
        validate: (value: unknown) => isDateOnly(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a date (YYYY-MM-DD)`,
      },
    },
    options,
  );
}
