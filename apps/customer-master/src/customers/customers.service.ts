import { randomUUID } from 'node:crypto';

import { CustomerCreatedV1 } from '@bank-crm/contracts';
import { OutboxWriter } from '@bank-crm/messaging';
import { maskTail } from '@bank-crm/pii';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';

import { CustomerIdentifierEntity } from './customer-identifier.entity';
import { CustomerEntity } from './customer.entity';
import { CustomerNotFoundException, IdentifierTakenException } from './customer.exception';
import type { CreateCustomerDto } from './dto/create-customer.dto';

export interface CustomerView {
  id: string;
  partyType: string;
  category: string;
  status: string;
  displayName: string;
  nameLatin: string | null;
  identifiers: { type: string; masked: string }[];
  relationshipManagerId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Full-width to half-width, no spaces or hyphens, upper case (a lower-case x check digit is common). */
export function normaliseIdentifierNumber(value: string): string {
  return value.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(dto: CreateCustomerDto, correlationId: string): Promise<CustomerView> {
    const id = randomUUID();
    const identifiers = (dto.identifiers ?? []).map((i) => ({
      idType: i.type,
      number: normaliseIdentifierNumber(i.number),
    }));
    try {
      return await this.dataSource.transaction(async (manager) => {
        const customer = manager.create(CustomerEntity, {
          id,
          partyType: dto.partyType,
          category: dto.category,
          status: 'potential',
          displayName: dto.displayName.trim(),
          nameLatin: dto.nameLatin?.trim() || null,
          relationshipManagerId: null,
        });
        await manager.save(customer);
        if (identifiers.length) {
          await manager.insert(
            CustomerIdentifierEntity,
            identifiers.map((i) => ({ ...i, customerId: id })),
          );
        }
        const saved = await manager.findOneOrFail(CustomerEntity, {
          where: { id },
          relations: { identifiers: true },
        });
        const view = toView(saved);
        await this.outbox.append(manager, CustomerCreatedV1, {
          subject: id,
          subjectVersion: saved.version,
          correlationId,
          payload: {
            customerId: id,
            partyType: view.partyType as 'individual' | 'organization',
            category: view.category,
            status: 'potential',
            displayName: view.displayName,
            ...(view.nameLatin ? { nameLatin: view.nameLatin } : {}),
            identifiers: view.identifiers as { type: 'OTHER'; masked: string }[],
            relationshipManagerId: null,
            createdAt: view.createdAt,
          },
        });
        return view;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        throw new IdentifierTakenException(identifiers[0]?.idType ?? 'identifier');
      }
      throw error;
    }
  }

  async get(id: string): Promise<CustomerView> {
    const customer = await this.dataSource
      .getRepository(CustomerEntity)
      .findOne({ where: { id }, relations: { identifiers: true } });
    if (!customer) throw new CustomerNotFoundException(id);
    return toView(customer);
  }
}

function toView(c: CustomerEntity): CustomerView {
  return {
    id: c.id,
    partyType: c.partyType,
    category: c.category,
    status: c.status,
    displayName: c.displayName,
    nameLatin: c.nameLatin,
    identifiers: (c.identifiers ?? [])
      .map((i) => ({ type: i.idType, masked: maskTail(i.number) }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    relationshipManagerId: c.relationshipManagerId,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
