import { randomUUID } from 'node:crypto';

import {
  CustomerCreatedV1,
  CustomerUpdatedV1,
  type CUSTOMER_UPDATABLE_FIELDS,
  type CustomerUpdatedV1Payload,
} from '@bank-crm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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

  async create(dto: CreateCustomerDto, correlationId: string): Promise<CustomerView> {
    const id = randomUUID();
    const identifiers = prepareIdentifiers(dto.identifiers ?? []);
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.checkCategory(manager, dto.category, dto.partyType);
        return this.insert(manager, id, dto, identifiers, { correlationId });
      });
    } catch (error) {
      throw translateIdentifierConflict(error, identifiers);
    }
  }

  /**
   * Creates a customer from resolved source records inside the caller's transaction (identity
   * resolution). Values arrive already normalised; an identifier another customer holds already
   * is left with that customer (the resolver kept the records apart on purpose).
   */
  async createFromSource(
    manager: EntityManager,
    id: string,
    values: SourceCustomerValues,
    meta: { correlationId: string; causationId?: string },
  ): Promise<CustomerView> {
    return this.insert(
      manager,
      id,
      {
        partyType: values.partyType,
        category: values.partyType === 'individual' ? 'personal' : 'corporate',
        displayName: values.displayName,
        nameLatin: values.nameLatin ?? undefined,
        birthDate: values.birthDate ?? undefined,
        gender: values.gender ?? undefined,
        phones: values.phones,
        emails: values.emails,
        addresses: values.addresses,
      },
      values.identifiers,
      meta,
      values.lineage,
    );
  }

  /**
   * Applies the golden values survivorship chose to a live customer in the caller's transaction
   * and publishes customer.updated when anything changed. Source identifiers are added (never
   * removed here: staff may have added their own); `removeIdentifiers` takes back those of records
   * that left the customer.
   */
  async applySourceValues(
    manager: EntityManager,
    id: string,
    values: SourceCustomerValues,
    meta: { correlationId: string; causationId?: string },
    removeIdentifiers: Identifier[] = [],
  ): Promise<void> {
    const current = await this.mustFind(manager, id);
    const { set, changed } = diff(current, {
      displayName: values.displayName,
      nameLatin: values.nameLatin ?? undefined,
      birthDate: values.birthDate ?? undefined,
      gender: values.gender ?? undefined,
      phones: values.phones,
      emails: values.emails,
      addresses: values.addresses,
    });
    let identifiersChanged = false;
    for (const i of removeIdentifiers) {
      const rows = await updateReturning(
        manager,
        'DELETE FROM customer_identifier WHERE id_type = $1 AND number = $2 AND customer_id = $3 RETURNING 1',
        [i.idType, i.number, id],
      );
      identifiersChanged ||= rows.length > 0;
    }
    identifiersChanged =
      (await this.addIdentifiers(manager, id, values.identifiers)) || identifiersChanged;
    if (identifiersChanged) changed.push('identifiers');
    const lineageChanged = !same(current.lineage, values.lineage);
    if (changed.length === 0) {
      if (lineageChanged)
        await manager.query('UPDATE customer SET lineage = $2 WHERE id = $1', [
          id,
          JSON.stringify(values.lineage),
        ]);
      return;
    }
    await manager.update(
      CustomerEntity,
      { id },
      { ...set, lineage: values.lineage, updatedAt: new Date() },
    );
    const saved = await this.mustFind(manager, id);
    await this.publishUpdated(manager, saved, changed, meta.correlationId, meta.causationId);
  }

  private async addIdentifiers(
    manager: EntityManager,
    id: string,
    identifiers: Identifier[],
  ): Promise<boolean> {
    if (identifiers.length === 0) return false;
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_identifier (id_type, number, customer_id)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::uuid[])
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        identifiers.map((i) => i.idType),
        identifiers.map((i) => i.number),
        identifiers.map(() => id),
      ],
    );
    return rows.length > 0;
  }

  private async insert(
    manager: EntityManager,
    id: string,
    dto: CreateCustomerDto,
    identifiers: Identifier[],
    meta: { correlationId: string; causationId?: string },
    lineage?: CustomerLineage,
  ): Promise<CustomerView> {
    const { correlationId, causationId } = meta;
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
        relationshipManagerId: null,
        lineage: lineage ?? {},
      }),
    );
    if (lineage) await this.addIdentifiers(manager, id, identifiers);
    else if (identifiers.length) {
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
        relationshipManagerId: null,
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
  async get(id: string, rmScope?: string): Promise<CustomerView> {
    const customer = await this.repository.findById(id);
    if (!customer) throw new CustomerNotFoundException(id);
    let current = customer;
    if (customer.mergedInto) {
      const survivor = await this.repository.findById(customer.mergedInto);
      if (!survivor) throw new CustomerNotFoundException(id);
      current = survivor;
    }
    if (rmScope !== undefined && current.relationshipManagerId !== rmScope) {
      throw new CustomerNotFoundException(id);
    }
    return toCustomerView(current, current.id === id ? undefined : id);
  }

  async update(id: string, dto: UpdateCustomerDto, correlationId: string): Promise<CustomerView> {
    const identifiers = dto.identifiers ? prepareIdentifiers(dto.identifiers) : undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (!(await this.repository.lock(manager, id))) throw new CustomerNotFoundException(id);
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

  async list(query: ListCustomersQuery, rmScope?: string): Promise<Page<CustomerView>> {
    const window = pageWindow(query);
    const nameWords = query.q
      ?.normalize('NFKC')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    const { items, total } = await this.repository.search(
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
    c: CustomerEntity,
    changed: UpdatableField[],
    correlationId: string,
    causationId?: string,
  ): Promise<void> {
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
    await this.events.publish(manager, CustomerUpdatedV1, {
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
    });
  }
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
