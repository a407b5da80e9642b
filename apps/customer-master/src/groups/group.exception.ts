import { ConflictException, NotFoundException } from '@nestjs/common';

export class GroupNotFoundException extends NotFoundException {
  constructor(id: string) {
    super(`group ${id} not found`);
  }
}

export class MembershipNotFoundException extends NotFoundException {
  constructor(groupId: string, id: string) {
    super(`membership ${id} of group ${groupId} not found`);
  }
}

/** The exclusion constraint group_membership_no_overlap, said in words. */
export class MembershipOverlapException extends ConflictException {
  constructor(customerId: string, groupId: string) {
    super({
      message: `customer ${customerId} is already a member of group ${groupId} during part of this period; memberships of one customer in one group may not overlap (end the current one first, or start on or after its validTo)`,
      error: 'Conflict',
    });
  }
}

export class MembershipAlreadyEndedException extends ConflictException {
  constructor(id: string, validTo: string) {
    super({ message: `membership ${id} already ended on ${validTo}`, error: 'Conflict' });
  }
}
