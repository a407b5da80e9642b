import { AuditService } from '@bank-crm/audit';
import { dataScopeOf, withDataScope, type AuthUser } from '@bank-crm/auth';
import {
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
  validatePayload,
  type EventDefinition,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
} from '@bank-crm/contracts';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { AccountIngestor, type IngestResult } from './account-ingestor';
import {
  ACCOUNT_COLUMNS,
  publishedAccount,
  type AccountState,
  type PublishedAccount,
} from './account-state';

export interface AccountView extends PublishedAccount {
  accountId: string;
  holders: {
    role: string;
    partySourceKey: string;
    customerId: string | null;
    validFrom: string | null;
  }[];
}

function validated<T>(definition: EventDefinition, body: unknown, what: string): T {
  const checked = validatePayload<T>(definition, body);
  if (!checked.ok) {
    throw new BadRequestException({
      error: 'Bad Request',
      message: `invalid ${what}: ${checked.errors.map((e) => e.field).join(', ')}`,
      errors: checked.errors,
    });
  }
  return checked.value;
}

/**
 * REST side of accounts: single-record ingestion and the (masked) reads. Every request works in
 * `withDataScope` with the caller's scope, so PostgreSQL's row-level security hides what lies
 * outside a relationship manager's portfolio; the reads also filter explicitly (404 outside it).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestor: AccountIngestor,
    private readonly audit: AuditService,
  ) {}

  async ingestRecord(body: unknown, correlationId: string, user: AuthUser): Promise<IngestResult> {
    const record = validated<SourceAccountRecordV1>(
      SourceAccountRecordedV1,
      body,
      'source account record',
    );
    // the caller's row-level security scope (the roles allowed here see every portfolio)
    return withDataScope(this.dataSource, dataScopeOf(user), async (manager) => {
      const [result] = await this.ingestor.applyRecords(manager, [record], { correlationId });
      if (result.outcome === 'recorded') {
        await this.audit.record(manager, {
          actor: user,
          action: 'source-account.recorded',
          entityType: 'account',
          entityId: result.accountId!,
          after: { ...record, accountNumber: undefined, outcome: result.outcome },
          correlationId,
        });
      }
      return result;
    });
  }

  async ingestBalance(body: unknown, correlationId: string, user: AuthUser): Promise<IngestResult> {
    const update = validated<SourceAccountBalanceV1>(
      SourceAccountBalanceRecordedV1,
      body,
      'balance update',
    );
    const result = await withDataScope(this.dataSource, dataScopeOf(user), async (manager) => {
      const [r] = await this.ingestor.applyBalances(manager, [update], { correlationId });
      if (r.outcome === 'recorded' && r.accountId) {
        await this.audit.record(manager, {
          actor: user,
          action: 'source-account.balance-recorded',
          entityType: 'account',
          entityId: r.accountId,
          after: update,
          correlationId,
        });
      }
      return r;
    });
    if (result.outcome === 'rejected') {
      const [field, ...rest] = (result.reason ?? 'rejected').split(': ');
      throw new BadRequestException({
        error: 'Bad Request',
        message: `invalid balance update: ${field}`,
        errors: [{ field, message: rest.join(': ') || field }],
      });
    }
    return result;
  }

  async getAccount(accountId: string, user: AuthUser): Promise<AccountView> {
    const scope = dataScopeOf(user);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [state]: AccountState[] = await manager.query(
        `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = $1`,
        [accountId],
      );
      if (!state) throw new NotFoundException(`account ${accountId} not found`);
      const view = await this.view(manager, state);
      if (
        scope.kind === 'portfolio' &&
        !(await this.inPortfolio(manager, view.customerIds, scope.relationshipManagerId))
      ) {
        throw new NotFoundException(`account ${accountId} not found`);
      }
      return view;
    });
  }

  async customerAccounts(
    customerId: string,
    user: AuthUser,
  ): Promise<{ customerId: string; accounts: (AccountView & { roles: string[] })[] }> {
    const scope = dataScopeOf(user);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [redirect]: { survivorId: string }[] = await manager.query(
        'SELECT survivor_id AS "survivorId" FROM customer_redirect WHERE absorbed_id = $1',
        [customerId],
      );
      const id = redirect?.survivorId ?? customerId;
      if (
        scope.kind === 'portfolio' &&
        !(await this.inPortfolio(manager, [id], scope.relationshipManagerId))
      ) {
        throw new NotFoundException(`customer ${customerId} not found`);
      }
      const rows: (AccountState & { roles: string[] })[] = await manager.query(
        `SELECT ${ACCOUNT_COLUMNS}, r.roles
           FROM account
           JOIN (SELECT h.account_id, array_agg(DISTINCT h.role ORDER BY h.role) AS roles
                   FROM account_holder h
                   JOIN party_customer pc ON pc.source_system = h.source_system AND pc.source_key = h.party_source_key
                  WHERE pc.customer_id = $1 AND h.valid_to IS NULL
                  GROUP BY h.account_id) r ON r.account_id = account.id
          ORDER BY account.opened_on, account.id`,
        [id],
      );
      const accounts = [];
      for (const row of rows)
        accounts.push({ ...(await this.view(manager, row)), roles: row.roles });
      return { customerId: id, accounts };
    });
  }

  private async view(manager: EntityManager, state: AccountState): Promise<AccountView> {
    const holders: AccountView['holders'] = await manager.query(
      `SELECT h.role, h.party_source_key AS "partySourceKey", pc.customer_id AS "customerId",
              h.valid_from::text AS "validFrom"
         FROM account_holder h
         LEFT JOIN party_customer pc ON pc.source_system = h.source_system AND pc.source_key = h.party_source_key
        WHERE h.account_id = $1 AND h.valid_to IS NULL
        ORDER BY h.role, h.party_source_key`,
      [state.id],
    );
    const customerIds = holders.map((h) => h.customerId).filter((c): c is string => !!c);
    return {
      accountId: state.id,
      ...publishedAccount(state, customerIds),
      holders,
    };
  }

  private async inPortfolio(
    manager: EntityManager,
    customerIds: string[],
    rm: string,
  ): Promise<boolean> {
    if (customerIds.length === 0) return false;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM customer_directory
        WHERE customer_id = ANY($1::uuid[]) AND relationship_manager_id = $2 LIMIT 1`,
      [customerIds, rm],
    );
    return rows.length > 0;
  }
}
