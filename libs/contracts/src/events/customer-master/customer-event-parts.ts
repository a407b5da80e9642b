import { Type } from '@sinclair/typebox';

import { StringEnum } from '../../common-schemas';

/** Schema parts shared by the customer-master event contracts (not an event itself). */

export const DateOnly = (description: string) =>
  Type.String({ format: 'date', description: `${description} (YYYY-MM-DD).` });

export const MaskedContactSchema = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'Type of contact, e.g. mobile, home, work, personal.',
    }),
    masked: Type.String({
      description:
        'The value, masked: phones keep their last 4 digits, e-mails their first character and domain.',
    }),
  },
  { additionalProperties: false },
);

export const StatusChangeCauseSchema = StringEnum(
  [
    'first-account-opened',
    'activity-resumed',
    'account-reopened',
    'inactivity',
    'last-account-closed',
    'manual-override',
  ],
  {
    description:
      'Why the status changed. first-account-opened: potential -> active; activity-resumed: dormant -> active; account-reopened: lost -> active; inactivity: no account activity for the configured period (-> dormant); last-account-closed: no open account left (-> lost); manual-override: set by an authorised user.',
  },
);

export const StatusChangeTriggerSchema = StringEnum(['account-event', 'dormancy-sweep', 'manual'], {
  description:
    'What evaluated the change: an account-bridge holdings event, the scheduled dormancy sweep, or a user.',
});

export const RelationSideSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, description: 'Relation type code.' }),
    label: Type.String({ minLength: 1, description: 'Display label (English).' }),
  },
  { additionalProperties: false },
);

export const GroupKindSchema = StringEnum(['entity', 'managed-list'], {
  description:
    'entity: a set of customers that really belong together (a household, a corporate group); managed-list: a list kept by staff (e.g. a campaign list).',
});
