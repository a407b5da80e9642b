import { randomUUID } from 'node:crypto';

import { withDataScope, type DataScope } from '@bank-crm/auth';
import { GroupMembershipAddedV1, GroupMembershipEndedV1 } from '@bank-crm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { EventPublisher } from '../customer-view/event-publisher';
import { isInScope, portfolioOf, requireInScope } from '../common/caller';
import { todayUtc } from '../common/dates';
import { FieldErrorException } from '../common/field-error.exception';
import { pageWindow, type Page } from '../common/pagination';
import { pgError, PG_EXCLUSION_VIOLATION } from '../common/pg-errors';
import { endProblem, periodProblem } from '../common/validity';
import { CustomersRepository } from '../customers/customers.repository';
import { CustomerGroupEntity } from './customer-group.entity';
import type { AddMemberDto } from './dto/add-member.dto';
import type { CreateGroupDto } from './dto/create-group.dto';
import type { ListGroupsQuery } from './dto/list-groups.query';
import {
  GroupNotFoundException,
  MembershipAlreadyEndedException,
  MembershipNotFoundException,
  MembershipOverlapException,
} from './group.exception';

export interface GroupView {
  id: string;
  kind: string;
  groupType: string;
  name: string;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface MembershipView {
  membershipId: string;
  groupId: string;
  customerId: string;
  role: string;
  validFrom: string;
  validTo: string | null;
  group?: { kind: string; groupType: string; name: string };
}

interface MembershipRow {
  id: string;
  group_id: string;
  customer_id: string;
  role: string;
  valid_from: string;
  valid_to: string | null;
  kind: string;
  group_type: string;
  name: string;
}

const MEMBERSHIP_SELECT = `SELECT m.id, m.group_id, m.customer_id, m.role,
  to_char(m.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(m.valid_to, 'YYYY-MM-DD') AS valid_to,
  g.kind, g.group_type, g.name
  FROM group_membership m JOIN customer_group g ON g.id = m.group_id`;

const AS_OF = (param: string) =>
  `m.valid_from <= ${param}::date AND (m.valid_to IS NULL OR m.valid_to > ${param}::date)`;

@Injectable()
export class GroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly customers: CustomersRepository,
  ) {}

  async create(
    dto: CreateGroupDto,
    ownerUserId: string | undefined,
    scope: DataScope,
  ): Promise<GroupView> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const repo = manager.getRepository(CustomerGroupEntity);
      const saved = await repo.save(
        repo.create({
          id: randomUUID(),
          kind: dto.kind,
          groupType: dto.groupType,
          name: dto.name.trim(),
          description: dto.description?.trim() || null,
          ownerUserId: ownerUserId ?? null,
        }),
      );
      return toGroupView(saved);
    });
  }

  /** Groups are shared definitions (not under the data scope); their members are. */
  async get(id: string, scope: DataScope): Promise<GroupView> {
    return withDataScope(this.dataSource, scope, (manager) => this.findGroup(manager, id));
  }

  private async findGroup(manager: EntityManager, id: string): Promise<GroupView> {
    const group = await manager.getRepository(CustomerGroupEntity).findOneBy({ id });
    if (!group) throw new GroupNotFoundException(id);
    return toGroupView(group);
  }

  async list(query: ListGroupsQuery, scope: DataScope): Promise<Page<GroupView>> {
    return withDataScope(this.dataSource, scope, (manager) => this.listIn(manager, query));
  }

  private async listIn(manager: EntityManager, query: ListGroupsQuery): Promise<Page<GroupView>> {
    const window = pageWindow(query);
    const qb = manager
      .getRepository(CustomerGroupEntity)
      .createQueryBuilder('g')
      .orderBy('g.created_at', 'DESC')
      .addOrderBy('g.id')
      .skip(window.offset)
      .take(window.pageSize);
    if (query.kind) qb.andWhere('g.kind = :kind', { kind: query.kind });
    if (query.groupType) qb.andWhere('g.group_type = :groupType', { groupType: query.groupType });
    if (query.q) {
      qb.andWhere("g.name ILIKE :q ESCAPE '\\'", {
        q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map(toGroupView), page: window.page, pageSize: window.pageSize, total };
  }

  async addMember(
    groupId: string,
    dto: AddMemberDto,
    correlationId: string,
    scope: DataScope,
  ): Promise<MembershipView> {
    const validFrom = dto.validFrom ?? todayUtc();
    const validTo = dto.validTo ?? null;
    const problem = periodProblem({ validFrom, validTo });
    if (problem) throw new FieldErrorException([{ field: 'validTo', message: problem }]);
    const id = randomUUID();
    try {
      return await withDataScope(this.dataSource, scope, async (manager) => {
        const group = await manager.findOneBy(CustomerGroupEntity, { id: groupId });
        if (!group) throw new GroupNotFoundException(groupId);
        await this.customers.requireLive(manager, dto.customerId, 'customerId');
        await requireInScope(manager, scope, dto.customerId, dto.customerId, 'customerId');
        await manager.query(
          `INSERT INTO group_membership (id, group_id, customer_id, role, valid_from, valid_to)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, groupId, dto.customerId, dto.role, validFrom, validTo],
        );
        await this.events.publish(manager, GroupMembershipAddedV1, {
          subject: groupId,
          correlationId,
          payload: {
            membershipId: id,
            groupId,
            group: { kind: group.kind, type: group.groupType, name: group.name },
            customerId: dto.customerId,
            role: dto.role,
            validFrom,
            validTo,
            addedAt: new Date().toISOString(),
          },
        });
        return {
          membershipId: id,
          groupId,
          customerId: dto.customerId,
          role: dto.role,
          validFrom,
          validTo,
        };
      });
    } catch (error) {
      if (pgError(error)?.code === PG_EXCLUSION_VIOLATION) {
        throw new MembershipOverlapException(dto.customerId, groupId);
      }
      throw error;
    }
  }

  async endMember(
    groupId: string,
    membershipId: string,
    validTo: string,
    correlationId: string,
    scope: DataScope,
  ): Promise<MembershipView> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [row] = (await manager.query(
        `${MEMBERSHIP_SELECT} WHERE m.id = $1 AND m.group_id = $2 FOR UPDATE OF m`,
        [membershipId, groupId],
      )) as MembershipRow[];
      if (!row || !(await isInScope(manager, scope, row.customer_id)))
        throw new MembershipNotFoundException(groupId, membershipId);
      if (row.valid_to !== null)
        throw new MembershipAlreadyEndedException(membershipId, row.valid_to);
      const problem = endProblem({ validFrom: row.valid_from, validTo: row.valid_to }, validTo);
      if (problem) throw new FieldErrorException([{ field: 'validTo', message: problem }]);
      await manager.query(
        'UPDATE group_membership SET valid_to = $2, ended_at = now() WHERE id = $1',
        [membershipId, validTo],
      );
      await this.events.publish(manager, GroupMembershipEndedV1, {
        subject: groupId,
        correlationId,
        payload: {
          membershipId,
          groupId,
          customerId: row.customer_id,
          validTo,
          endedAt: new Date().toISOString(),
        },
      });
      return toMembershipView({ ...row, valid_to: validTo }, false);
    });
  }

  /** Who was in the group on a day (or every membership ever, asOf null). */
  async members(groupId: string, asOf: string | null, scope: DataScope): Promise<MembershipView[]> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      await this.findGroup(manager, groupId);
      const params: unknown[] = [groupId];
      let when = '';
      if (asOf) {
        params.push(asOf);
        when = `AND ${AS_OF(`$${params.length}`)}`;
      }
      const rm = portfolioOf(scope);
      if (rm !== undefined) {
        params.push(rm);
        when += ` AND EXISTS (SELECT 1 FROM customer c WHERE c.id = m.customer_id
          AND c.relationship_manager_id = $${params.length})`;
      }
      const rows = (await manager.query(
        `${MEMBERSHIP_SELECT} WHERE m.group_id = $1 ${when} ORDER BY m.valid_from, m.id`,
        params,
      )) as MembershipRow[];
      return rows.map((r) => toMembershipView(r, false));
    });
  }

  /** Which groups the customer was in on a day (or ever); an absorbed id answers for its survivor. */
  async groupsOf(
    requestedId: string,
    asOf: string | null,
    scope: DataScope,
  ): Promise<MembershipView[]> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const customerId = await this.customers.resolve(requestedId, manager);
      await requireInScope(manager, scope, customerId, requestedId);
      const params: unknown[] = [customerId];
      let when = '';
      if (asOf) {
        params.push(asOf);
        when = `AND ${AS_OF('$2')}`;
      }
      const rows = (await manager.query(
        `${MEMBERSHIP_SELECT} WHERE m.customer_id = $1 ${when} ORDER BY m.valid_from, m.id`,
        params,
      )) as MembershipRow[];
      return rows.map((r) => toMembershipView(r, true));
    });
  }
}

function toGroupView(g: CustomerGroupEntity): GroupView {
  return {
    id: g.id,
    kind: g.kind,
    groupType: g.groupType,
    name: g.name,
    description: g.description,
    version: g.version,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

function toMembershipView(r: MembershipRow, withGroup: boolean): MembershipView {
  return {
    membershipId: r.id,
    groupId: r.group_id,
    customerId: r.customer_id,
    role: r.role,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    ...(withGroup ? { group: { kind: r.kind, groupType: r.group_type, name: r.name } } : {}),
  };
}
