import { randomUUID } from 'node:crypto';

import { withDataScope, type DataScope } from '@bank-crm/auth';
import {
  CustomerCreatedV1,
  CustomerUpdatedV1,
  type CUSTOMER_UPDATABLE_FIELDS,
  type CustomerUpdatedV1Payload,
} from '@bank-crm/contracts';
import type { OutboxAppend } from '@bank-crm/messaging';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { portfolioOf, requireInScope } from '../common/caller';
import { EventPublisher } from '../customer-view/event-publisher';
import { FieldErrorException } from '../common/field-error.exception';
import { pageWindow, type Page } from '../common/pagination';
import { pgError, PG_UNIQUE_VIOLATION, updateReturning } from '../common/pg-errors';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import {
  maskEmails,
  maskPhones,
  normaliseEmail,
  normalisePhone,
  type EmailValue,
  type PhoneValue,
} from './contact-normalizer';
import { CustomerCategoryEntity } from './customer-category.entity';
import { CustomerIdentifierEntity } from './customer-identifier.entity';
import { CustomerEntity, type AddressValue, type CustomerLineage } from './customer.entity';
import {
  CustomerMergedException,
  CustomerNotFoundException,
  CustomerVersionConflictException,
  IdentifierTakenException,
} from './customer.exception';
import { maskIdentifiers, toCustomerView, type CustomerView } from './customer.mapper';
import { CustomersRepository } from './customers.repository';
import type { CreateCustomerDto } from './dto/create-customer.dto';
import type { AddressDto, EmailDto, IdentifierDto, PhoneDto } from './dto/customer-fields.dto';
import type { ListCustomersQuery } from './dto/list-customers.query';
import type { UpdateCustomerDto } from './dto/update-customer.dto';
import {
  identifierFormatProblem,
  identifierSearchForms,
  normaliseIdentifier,
  normaliseIdentifierNumber,
} from './identifier-normalizer';

export { normaliseIdentifierNumber };

type UpdatableField = (typeof CUSTOMER_UPDATABLE_FIELDS)[number];
type Identifier = { idType: string; number: string };

/** What customer.updated v1 reads of a customer. */
type UpdatedSubject = Pick<
  CustomerEntity,
  | 'id'
  | 'partyType'
  | 'category'
  | 'displayName'
  | 'nameLatin'
  | 'gender'
  | 'phones'
  | 'emails'
  | 'segment'
  | 'valueTier'
  | 'version'
  | 'updatedAt'
> & { identifiers: Identifier[] };

/** Golden values of a customer built from its source records (already normalised). */
export interface SourceCustomerValues {
  partyType: 'individual' | 'organization';
  displayName: string;
  nameLatin: string | null;
  birthDate: string | null;
  gender: 'M' | 'F' | null;
  phones: PhoneDto[];
  emails: EmailDto[];
  addresses: AddressDto[];
  identifiers: Identifier[];
  /** Which source record supplied each value. */
  lineage: CustomerLineage;
}

/** Profile fields customer.created v1 cannot carry: set at creation, they follow as an update. */
const FIELDS_NOT_IN_CREATED_V1 = [
  'birthDate',
  'gender',
  'phones',
  'emails',
  'addresses',
  'segment',
  'valueTier',
] as const satisfies readonly UpdatableField[];

@Injectable()
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly repository: CustomersRepository,
    private readonly lifecycle: LifecycleService,
  ) {}

  /**
   * Creates a prospect. A relationship manager's new customer is in their own portfolio (the
   * row-level security policy would refuse any other row from them, and they could not read
   * back a customer outside it); staff create unassigned customers.
   */
  async create(
    dto: CreateCustomerDto,
    correlationId: string,
    scope: DataScope,
  ): Promise<CustomerView> {
    const id = randomUUID();
    const identifiers = prepareIdentifiers(dto.identifiers ?? []);
    try {
      return await withDataScope(this.dataSource, scope, async (manager) => {
        await this.checkCategory(manager, dto.category, dto.partyType);
        return this.insert(manager, id, dto, identifiers, {
          correlationId,
          relationshipManagerId: portfolioOf(scope) ?? null,
        });
      });
    } catch (error) {
      throw translateIdentifierConflict(error, identifiers);
    }
  }

  /**
   * Creates a customer from resolved source records inside the caller's transaction (identity
   * resolution; the hot path of ingestion, so plain SQL). Values arrive already normalised; an
   * identifier another customer holds already stays with that customer (the resolver kept the
   * records apart on purpose). No lifecycle check: a customer this new has no accounts yet.
   */
  async createFromSource(
    manager: EntityManager,
    id: string,
    values: SourceCustomerValues,
    meta: { correlationId: string; causationId?: string },
  ): Promise<void> {
    const category = values.partyType === 'individual' ? 'personal' : 'corporate';
    const phones = preparePhones(values.phones);
    const emails = prepareEmails(values.emails);
    const extras: UpdatableField[] = [];
    if (values.birthDate) extras.push('birthDate');
    if (values.gender) extras.push('gender');
    if (phones.length) extras.push('phones');
    if (emails.length) extras.push('emails');
    if (values.addresses.length) extras.push('addresses');
    const version = extras.length ? 2 : 1;
    const [row] = (await manager.query(
      `INSERT INTO customer (id, party_type, category, status, display_name, name_latin, birth_date,
         gender, phones, emails, addresses, lineage, version, created_at)
       VALUES ($1, $2, $3, 'potential', $4, $5, $6, $7, $8, $9, $10, $11, $12, clock_timestamp())
       RETURNING created_at, updated_at`,
      [
        id,
        values.partyType,
        category,
        values.displayName,
        values.nameLatin,
        values.birthDate,
        values.gender,
        JSON.stringify(phones),
        JSON.stringify(emails),
        JSON.stringify(values.addresses),
        JSON.stringify(values.lineage),
        version,
      ],
    )) as { created_at: Date; updated_at: Date }[];
    const identifiers = await this.addIdentifiers(manager, id, values.identifiers);
    const causation = meta.causationId ? { causationId: meta.causationId } : {};
    await this.events.publish(manager, CustomerCreatedV1, {
      subject: id,
      subjectVersion: 1,
      correlationId: meta.correlationId,
      ...causation,
      payload: {
        customerId: id,
        partyType: values.partyType,
        category,
        status: 'potential',
        displayName: values.displayName,
        ...(values.nameLatin ? { nameLatin: values.nameLatin } : {}),
        identifiers: maskIdentifiers(identifiers),
        relationshipManagerId: null,
        createdAt: row.created_at.toISOString(),
      },
    });
    if (extras.length) {
      await this.publishUpdated(
        manager,
        {
          id,
          partyType: values.partyType,
          category,
          displayName: values.displayName,
          nameLatin: values.nameLatin,
          identifiers,
          gender: values.gender,
          phones,
          emails,
          segment: null,
          valueTier: null,
          version,
          updatedAt: row.updated_at,
        },
        extras,
        meta.correlationId,
        meta.causationId,
      );
    }
  }

  /**
   * `createFromSource` for many customers with one insert per table and one outbox insert: the
   * batch path of identity resolution. Same rows and events as creating them one by one.
   */
  async createManyFromSource(
    manager: EntityManager,
    items: readonly {
      id: string;
      values: SourceCustomerValues;
      meta: { correlationId: string; causationId?: string };
    }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const prepared = items.map(({ id, values, meta }) => {
      const phones = preparePhones(values.phones);
      const emails = prepareEmails(values.emails);
      const extras: UpdatableField[] = [];
      if (values.birthDate) extras.push('birthDate');
      if (values.gender) extras.push('gender');
      if (phones.length) extras.push('phones');
      if (emails.length) extras.push('emails');
      if (values.addresses.length) extras.push('addresses');
      const category = values.partyType === 'individual' ? 'personal' : 'corporate';
      return { id, values, meta, phones, emails, extras, category, version: extras.length ? 2 : 1 };
    });
    const rows = (await manager.query(
      `INSERT INTO customer (id, party_type, category, status, display_name, name_latin, birth_date,
         gender, phones, emails, addresses, lineage, version, created_at)
       SELECT id, party_type, category, 'potential', display_name, name_latin, birth_date, gender,
         phones, emails, addresses, lineage, version, clock_timestamp()
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                   $6::date[], $7::varchar[], ${jsonbElements('$8')}, ${jsonbElements('$9')},
                   ${jsonbElements('$10')}, ${jsonbElements('$11')}, $12::int[])
         AS c(id, party_type, category, display_name, name_latin, birth_date, gender, phones,
              emails, addresses, lineage, version)
       RETURNING id, created_at, updated_at`,
      [
        prepared.map((p) => p.id),
        prepared.map((p) => p.values.partyType),
        prepared.map((p) => p.category),
        prepared.map((p) => p.values.displayName),
        prepared.map((p) => p.values.nameLatin),
        prepared.map((p) => p.values.birthDate),
        prepared.map((p) => p.values.gender),
        jsonbArray(prepared.map((p) => p.phones)),
        jsonbArray(prepared.map((p) => p.emails)),
        jsonbArray(prepared.map((p) => p.values.addresses)),
        jsonbArray(prepared.map((p) => p.values.lineage)),
        prepared.map((p) => p.version),
      ],
    )) as { id: string; created_at: Date; updated_at: Date }[];
    const times = new Map(rows.map((r) => [r.id, r]));
    const wanted = prepared.flatMap((p) =>
      p.values.identifiers.map((i) => ({ ...i, customerId: p.id })),
    );
    const identifiersOf = await this.addIdentifiersMany(manager, wanted);
    const events: OutboxAppend[] = [];
    for (const p of prepared) {
      const row = times.get(p.id);
      if (!row) throw new Error(`customer ${p.id} was not inserted`);
      const identifiers = identifiersOf.get(p.id) ?? [];
      const causation = p.meta.causationId ? { causationId: p.meta.causationId } : {};
      events.push({
        definition: CustomerCreatedV1,
        input: {
          subject: p.id,
          subjectVersion: 1,
          correlationId: p.meta.correlationId,
          ...causation,
          payload: {
            customerId: p.id,
            partyType: p.values.partyType,
            category: p.category,
            status: 'potential',
            displayName: p.values.displayName,
            ...(p.values.nameLatin ? { nameLatin: p.values.nameLatin } : {}),
            identifiers: maskIdentifiers(identifiers),
            relationshipManagerId: null,
            createdAt: row.created_at.toISOString(),
          },
        },
      });
      if (p.extras.length) {
        events.push(
          updatedEvent(
            {
              id: p.id,
              partyType: p.values.partyType,
              category: p.category,
              displayName: p.values.displayName,
              nameLatin: p.values.nameLatin,
              identifiers,
              gender: p.values.gender,
              phones: p.phones,
              emails: p.emails,
              segment: null,
              valueTier: null,
              version: p.version,
              updatedAt: row.updated_at,
            },
            p.extras,
            p.meta.correlationId,
            p.meta.causationId,
          ),
        );
      }
    }
    await this.events.publishMany(manager, events);
  }

  /**
   * Applies the golden values survivorship chose to a live customer in the caller's transaction
   * (the caller holds the customer's row lock) and publishes customer.updated when anything
   * changed. Source identifiers are added (never removed here: staff may have added their own);
   * `removeIdentifiers` takes back those of records that left the customer.
   */
  async applySourceValues(
    manager: EntityManager,
    id: string,
    values: SourceCustomerValues,
    meta: { correlationId: string; causationId?: string },
    removeIdentifiers: Identifier[] = [],
  ): Promise<void> {
    let identifiersRemoved = false;
    for (const i of removeIdentifiers) {
      const gone = await updateReturning<unknown>(
        manager,
        'DELETE FROM customer_identifier WHERE id_type = $1 AND number = $2 AND customer_id = $3 RETURNING 1',
        [i.idType, i.number, id],
      );
      if (gone.length > 0) identifiersRemoved = true;
    }
    await this.applySourceValuesMany(manager, [{ id, values, meta, identifiersRemoved }]);
  }

  /**
   * `applySourceValues` for many customers (the caller holds their row locks) with one read, one
   * identifier insert, one update and one outbox insert: the batch path of identity resolution.
   */
  async applySourceValuesMany(
    manager: EntityManager,
    items: readonly {
      id: string;
      values: SourceCustomerValues;
      meta: { correlationId: string; causationId?: string };
      /** The caller took identifiers back from the customer: `identifiers` changed. */
      identifiersRemoved?: boolean;
    }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const current = (await manager.query(
      `SELECT c.id, c.party_type, c.category, c.display_name, c.name_latin,
         to_char(c.birth_date, 'YYYY-MM-DD') AS birth_date, c.gender, c.phones, c.emails,
         c.addresses, c.lineage, c.segment, c.value_tier,
         coalesce((SELECT json_agg(json_build_object('idType', i.id_type, 'number', i.number))
                   FROM customer_identifier i WHERE i.customer_id = c.id), '[]') AS identifiers
       FROM customer c WHERE c.id = ANY($1::uuid[])`,
      [items.map((i) => i.id)],
    )) as {
      id: string;
      party_type: 'individual' | 'organization';
      category: string;
      display_name: string;
      name_latin: string | null;
      birth_date: string | null;
      gender: string | null;
      phones: PhoneValue[];
      emails: EmailValue[];
      addresses: AddressValue[];
      lineage: CustomerLineage;
      segment: string | null;
      value_tier: string | null;
      identifiers: Identifier[];
    }[];
    const byId = new Map(current.map((c) => [c.id, c]));
    const plans = items.map((item) => {
      const cur = byId.get(item.id);
      if (!cur) throw new CustomerNotFoundException(item.id);
      const v = item.values;
      const phones = preparePhones(v.phones);
      const emails = prepareEmails(v.emails);
      const changed: UpdatableField[] = [];
      const pick = <T>(field: UpdatableField, now: T, next: T | null | undefined): T => {
        if (next === null || next === undefined || sameValue(now, next)) return now;
        changed.push(field);
        return next;
      };
      const row = {
        displayName: pick('displayName', cur.display_name, v.displayName),
        nameLatin: pick('nameLatin', cur.name_latin, v.nameLatin),
        birthDate: pick('birthDate', cur.birth_date, v.birthDate),
        gender: pick('gender', cur.gender, v.gender),
        phones: pick('phones', cur.phones, phones.length ? phones : null),
        emails: pick('emails', cur.emails, emails.length ? emails : null),
        addresses: pick('addresses', cur.addresses, v.addresses.length ? v.addresses : null),
      };
      const held = new Set(cur.identifiers.map((i) => `${i.idType}:${i.number}`));
      const missing = v.identifiers.filter((i) => !held.has(`${i.idType}:${i.number}`));
      return { item, cur, row, changed, missing, phones, emails };
    });
    const wanted = plans.flatMap((p) => p.missing.map((i) => ({ ...i, customerId: p.item.id })));
    const addedTo = await this.addIdentifiersMany(manager, wanted);
    const touched = plans.filter((p) => {
      if (addedTo.has(p.item.id) || p.item.identifiersRemoved) p.changed.push('identifiers');
      return p.changed.length > 0 || !sameValue(p.cur.lineage, p.item.values.lineage);
    });
    if (touched.length === 0) return;
    const updated = await updateReturning<{ id: string; version: number; updated_at: Date }>(
      manager,
      `UPDATE customer c SET display_name = v.display_name, name_latin = v.name_latin,
         birth_date = v.birth_date, gender = v.gender, phones = v.phones, emails = v.emails,
         addresses = v.addresses, lineage = v.lineage,
         version = c.version + CASE WHEN v.bump THEN 1 ELSE 0 END,
         updated_at = CASE WHEN v.bump THEN now() ELSE c.updated_at END
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::date[], $5::varchar[],
                   ${jsonbElements('$6')}, ${jsonbElements('$7')}, ${jsonbElements('$8')},
                   ${jsonbElements('$9')}, $10::boolean[])
         AS v(id, display_name, name_latin, birth_date, gender, phones, emails, addresses,
              lineage, bump)
       WHERE c.id = v.id
       RETURNING c.id, c.version, c.updated_at`,
      [
        touched.map((p) => p.item.id),
        touched.map((p) => p.row.displayName),
        touched.map((p) => p.row.nameLatin),
        touched.map((p) => p.row.birthDate),
        touched.map((p) => p.row.gender),
        jsonbArray(touched.map((p) => p.row.phones)),
        jsonbArray(touched.map((p) => p.row.emails)),
        jsonbArray(touched.map((p) => p.row.addresses)),
        jsonbArray(touched.map((p) => p.item.values.lineage)),
        touched.map((p) => p.changed.length > 0),
      ],
    );
    const after = new Map(updated.map((r) => [r.id, r]));
    const events: OutboxAppend[] = [];
    for (const p of touched) {
      const row = after.get(p.item.id);
      if (!row || p.changed.length === 0) continue;
      events.push(
        updatedEvent(
          {
            id: p.item.id,
            partyType: p.cur.party_type,
            category: p.cur.category,
            displayName: p.row.displayName,
            nameLatin: p.row.nameLatin,
            identifiers: [...p.cur.identifiers, ...(addedTo.get(p.item.id) ?? [])],
            gender: p.row.gender as CustomerEntity['gender'],
            phones: p.row.phones,
            emails: p.row.emails,
            segment: p.cur.segment,
            valueTier: p.cur.value_tier,
            version: row.version,
            updatedAt: row.updated_at,
          },
          p.changed,
          p.item.meta.correlationId,
          p.item.meta.causationId,
        ),
      );
    }
    await this.events.publishMany(manager, events);
  }

  /** Adds identifiers no customer holds yet; returns those added. */
  private async addIdentifiers(
    manager: EntityManager,
    id: string,
    identifiers: Identifier[],
  ): Promise<Identifier[]> {
    const added = await this.addIdentifiersMany(
      manager,
      identifiers.map((i) => ({ ...i, customerId: id })),
    );
    return added.get(id) ?? [];
  }

  /** Adds identifiers no customer holds yet, one insert for many customers; those added by customer. */
  private async addIdentifiersMany(
    manager: EntityManager,
    wanted: readonly (Identifier & { customerId: string })[],
  ): Promise<Map<string, Identifier[]>> {
    const byCustomer = new Map<string, Identifier[]>();
    if (wanted.length === 0) return byCustomer;
    const added = (await manager.query(
      `INSERT INTO customer_identifier (id_type, number, customer_id)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::uuid[])
       ON CONFLICT DO NOTHING RETURNING id_type AS "idType", number, customer_id AS "customerId"`,
      [wanted.map((i) => i.idType), wanted.map((i) => i.number), wanted.map((i) => i.customerId)],
    )) as (Identifier & { customerId: string })[];
    for (const { customerId, idType, number } of added) {
      byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), { idType, number }]);
    }
    return byCustomer;
  }

  private async insert(
    manager: EntityManager,
    id: string,
    dto: CreateCustomerDto,
    identifiers: Identifier[],
    meta: { correlationId: string; causationId?: string; relationshipManagerId: string | null },
  ): Promise<CustomerView> {
    const { correlationId, causationId, relationshipManagerId } = meta;
    await manager.save(
      manager.create(CustomerEntity, {
        id,
        partyType: dto.partyType,
        category: dto.category,
        status: 'potential',
        displayName: dto.displayName.trim(),
        nameLatin: dto.nameLatin?.trim() || null,
        birthDate: dto.birthDate ?? null,
        gender: dto.gender ?? null,
        phones: preparePhones(dto.phones),
        emails: prepareEmails(dto.emails),
        addresses: dto.addresses ?? [],
        segment: dto.segment ?? null,
        valueTier: dto.valueTier ?? null,
        relationshipManagerId,
      }),
    );
    if (identifiers.length) {
      await manager.insert(
        CustomerIdentifierEntity,
        identifiers.map((i) => ({ ...i, customerId: id })),
      );
    }
    let saved = await this.mustFind(manager, id);
    const view = toCustomerView(saved);
    await this.events.publish(manager, CustomerCreatedV1, {
      subject: id,
      subjectVersion: saved.version,
      correlationId,
      ...(causationId ? { causationId } : {}),
      payload: {
        customerId: id,
        partyType: view.partyType,
        category: view.category,
        status: 'potential',
        displayName: view.displayName,
        ...(view.nameLatin ? { nameLatin: view.nameLatin } : {}),
        identifiers: view.identifiers,
        relationshipManagerId,
        createdAt: view.createdAt,
      },
    });
    const extras = FIELDS_NOT_IN_CREATED_V1.filter(
      (f) => dto[f] !== undefined && !(Array.isArray(dto[f]) && dto[f].length === 0),
    );
    if (extras.length) {
      await manager.query(
        'UPDATE customer SET version = version + 1, updated_at = now() WHERE id = $1',
        [id],
      );
      saved = await this.mustFind(manager, id);
      await this.publishUpdated(manager, saved, extras, correlationId, causationId);
    }
    // account-bridge may have reported accounts before the customer existed here
    await this.lifecycle.evaluate(manager, id, { trigger: 'account-event' }, correlationId);
    return toCustomerView(await this.mustFind(manager, id));
  }

  /** A customer by id; an absorbed id answers with its survivor (`redirectedFrom` says so). */
  async get(id: string, scope: DataScope): Promise<CustomerView> {
    const rmScope = portfolioOf(scope);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const customer = await this.repository.findById(id, manager);
      if (!customer) throw new CustomerNotFoundException(id);
      let current = customer;
      if (customer.mergedInto) {
        const survivor = await this.repository.findById(customer.mergedInto, manager);
        if (!survivor) throw new CustomerNotFoundException(id);
        current = survivor;
      }
      if (rmScope !== undefined && current.relationshipManagerId !== rmScope) {
        throw new CustomerNotFoundException(id);
      }
      return toCustomerView(current, current.id === id ? undefined : id);
    });
  }

  async update(
    id: string,
    dto: UpdateCustomerDto,
    correlationId: string,
    scope: DataScope,
  ): Promise<CustomerView> {
    const identifiers = dto.identifiers ? prepareIdentifiers(dto.identifiers) : undefined;
    try {
      return await withDataScope(this.dataSource, scope, async (manager) => {
        if (!(await this.repository.lock(manager, id))) throw new CustomerNotFoundException(id);
        await requireInScope(manager, scope, id);
        const current = await this.mustFind(manager, id);
        if (current.mergedInto) throw new CustomerMergedException(id, current.mergedInto);
        if (dto.version !== undefined && dto.version !== current.version) {
          throw new CustomerVersionConflictException(id, dto.version, current.version);
        }
        const { set, changed } = diff(current, dto);
        if (dto.category !== undefined && changed.includes('category')) {
          await this.checkCategory(manager, dto.category, current.partyType);
        }
        if (identifiers && !sameIdentifiers(current.identifiers, identifiers)) {
          changed.push('identifiers');
          await manager.delete(CustomerIdentifierEntity, { customerId: id });
          if (identifiers.length) {
            await manager.insert(
              CustomerIdentifierEntity,
              identifiers.map((i) => ({ ...i, customerId: id })),
            );
          }
        }
        if (changed.length === 0) return toCustomerView(current);
        // TypeORM's update adds version = version + 1 (the @VersionColumn)
        await manager.update(CustomerEntity, { id }, { ...set, updatedAt: new Date() });
        const saved = await this.mustFind(manager, id);
        await this.publishUpdated(manager, saved, changed, correlationId);
        return toCustomerView(saved);
      });
    } catch (error) {
      throw translateIdentifierConflict(error, identifiers ?? []);
    }
  }

  async list(query: ListCustomersQuery, scope: DataScope): Promise<Page<CustomerView>> {
    const rmScope = portfolioOf(scope);
    const window = pageWindow(query);
    const nameWords = query.q
      ?.normalize('NFKC')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    const { items, total } = await withDataScope(this.dataSource, scope, (manager) =>
      this.repository.search(
        {
          status: query.status,
          category: query.category,
          tier: query.tier,
          rm: query.rm,
          groupId: query.groupId,
          nameWords,
          identifierForms: query.identifier
            ? identifierSearchForms(query.identifier, query.identifierType)
            : undefined,
          identifierType: query.identifierType,
          phone: query.phone ? normalisePhone(query.phone) : undefined,
          rmScope,
        },
        window,
        manager,
      ),
    );
    return {
      items: items.map((c) => toCustomerView(c)),
      page: window.page,
      pageSize: window.pageSize,
      total,
    };
  }

  async categories(): Promise<CustomerCategoryEntity[]> {
    return this.dataSource
      .getRepository(CustomerCategoryEntity)
      .find({ where: { active: true }, order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  private async mustFind(manager: EntityManager, id: string): Promise<CustomerEntity> {
    const c = await this.repository.findById(id, manager);
    if (!c) throw new CustomerNotFoundException(id);
    return c;
  }

  private async checkCategory(
    manager: EntityManager,
    code: string,
    partyType: string,
  ): Promise<void> {
    const category = await manager.findOneBy(CustomerCategoryEntity, { code, active: true });
    if (!category) {
      const known = await this.categories();
      throw new FieldErrorException([
        {
          field: 'category',
          message: `unknown category "${code}"; known: ${known.map((k) => k.code).join(', ')}`,
        },
      ]);
    }
    if (category.partyType && category.partyType !== partyType) {
      throw new FieldErrorException([
        {
          field: 'category',
          message: `category "${code}" is for ${category.partyType} customers, not ${partyType}`,
        },
      ]);
    }
  }

  private async publishUpdated(
    manager: EntityManager,
    c: UpdatedSubject,
    changed: UpdatableField[],
    correlationId: string,
    causationId?: string,
  ): Promise<void> {
    const { definition, input } = updatedEvent(c, changed, correlationId, causationId);
    await this.events.publish(manager, definition, input);
  }
}

/** customer.updated v1 for the fields that changed (personal data masked). */
function updatedEvent(
  c: UpdatedSubject,
  changed: UpdatableField[],
  correlationId: string,
  causationId?: string,
): OutboxAppend & { definition: typeof CustomerUpdatedV1 } {
  const changes: CustomerUpdatedV1Payload['changes'] = {};
  for (const field of changed) {
    switch (field) {
      case 'category':
        changes.category = c.category;
        break;
      case 'displayName':
        changes.displayName = c.displayName;
        break;
      case 'nameLatin':
        changes.nameLatin = c.nameLatin;
        break;
      case 'identifiers':
        changes.identifiers = maskIdentifiers(c.identifiers);
        break;
      case 'gender':
        changes.gender = c.gender;
        break;
      case 'phones':
        changes.phones = maskPhones(c.phones);
        break;
      case 'emails':
        changes.emails = maskEmails(c.emails);
        break;
      case 'segment':
        changes.segment = c.segment;
        break;
      case 'valueTier':
        changes.valueTier = c.valueTier;
        break;
      case 'birthDate':
      case 'addresses':
        break; // named in changedFields, values not published
    }
  }
  return {
    definition: CustomerUpdatedV1,
    input: {
      subject: c.id,
      subjectVersion: c.version,
      correlationId,
      ...(causationId ? { causationId } : {}),
      payload: {
        customerId: c.id,
        partyType: c.partyType,
        changedFields: changed,
        changes,
        updatedAt: c.updatedAt.toISOString(),
      },
    },
  };
}

function prepareIdentifiers(dtos: IdentifierDto[]): Identifier[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  const out: Identifier[] = [];
  dtos.forEach((dto, index) => {
    const number = normaliseIdentifier(dto.type, dto.number);
    const problem = identifierFormatProblem(dto.type, number);
    if (problem) problems.push({ field: `identifiers.${index}.number`, message: problem });
    const key = `${dto.type}:${number}`;
    if (seen.has(key)) {
      problems.push({
        field: `identifiers.${index}`,
        message: 'the same identifier is listed twice',
      });
    }
    seen.add(key);
    out.push({ idType: dto.type, number });
  });
  if (problems.length) throw new FieldErrorException(problems);
  return out;
}

function preparePhones(dtos: { type: string; number: string }[] | undefined): PhoneValue[] {
  return (dtos ?? []).map((p) => ({ type: p.type, number: normalisePhone(p.number) }));
}

function prepareEmails(dtos: { type: string; address: string }[] | undefined): EmailValue[] {
  return (dtos ?? []).map((e) => ({ type: e.type, address: normaliseEmail(e.address) }));
}

function sameIdentifiers(a: Identifier[], b: Identifier[]): boolean {
  const key = (list: Identifier[]) =>
    list
      .map((i) => `${i.idType}:${i.number}`)
      .sort()
      .join('|');
  return key(a) === key(b);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Deep equality that ignores object key order (jsonb returns keys in its own order). */
function sameValue(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** The column values to set and the field names that really change. */
function diff(
  c: CustomerEntity,
  dto: UpdateCustomerDto,
): { set: Partial<CustomerEntity>; changed: UpdatableField[] } {
  const set: Partial<CustomerEntity> = {};
  const changed: UpdatableField[] = [];
  const apply = <K extends UpdatableField & keyof CustomerEntity>(
    field: K,
    value: CustomerEntity[K] | undefined,
  ) => {
    if (value === undefined || same(c[field], value)) return;
    (set as Record<string, unknown>)[field] = value;
    changed.push(field);
  };
  apply('category', dto.category);
  apply('displayName', dto.displayName?.trim());
  apply('nameLatin', dto.nameLatin === null ? null : dto.nameLatin?.trim() || undefined);
  apply('birthDate', dto.birthDate);
  apply('gender', dto.gender);
  apply('phones', dto.phones ? preparePhones(dto.phones) : undefined);
  apply('emails', dto.emails ? prepareEmails(dto.emails) : undefined);
  apply('addresses', dto.addresses as AddressValue[] | undefined);
  apply('segment', dto.segment);
  apply('valueTier', dto.valueTier);
  return { set, changed };
}

function translateIdentifierConflict(error: unknown, identifiers: Identifier[]): unknown {
  if (pgError(error)?.code === PG_UNIQUE_VIOLATION) {
    return new IdentifierTakenException(identifiers[0]?.idType ?? 'identifier');
  }
  return error;
}
