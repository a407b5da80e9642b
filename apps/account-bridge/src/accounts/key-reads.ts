import { ACCOUNT_COLUMNS } from './account-state';

/**
 * The account bridge's per-chunk reads of accounts, their holders and parties, as key
 * lookups whatever the planner's statistics say: LATERAL subqueries with OFFSET 0 / LIMIT 1
 * fences, each a parameterised index scan. During a bulk load autoanalyze lags behind the tables,
 * and as plain joins or `IN (SELECT * FROM unnest(...))` the planner read all of account_holder
 * and party_customer for every chunk (key-reads-plan.integration-spec.ts checks each plan; see also
 * HOLDINGS_SQL in holdings.ts). Parameters are arrays of keys; duplicates are allowed.
 */

/** The current customer of each party record in ($1 systems, $2 keys); unknown parties left out. */
export const PARTY_LINKS_SQL = `
  SELECT k.s AS "sourceSystem", k.key AS "sourceKey", pc.customer_id AS "customerId",
         pc.linked_at AS "linkedAt"
    FROM (SELECT DISTINCT s, key FROM unnest($1::text[], $2::text[]) AS u(s, key)) AS k
   CROSS JOIN LATERAL (
     SELECT p.customer_id, p.linked_at FROM party_customer p
      WHERE p.source_system = k.s AND p.source_key = k.key LIMIT 1) pc`;

/** The current holder rows of the party records in ($1 systems, $2 keys). */
export const ACTIVE_LINKS_SQL = `
  SELECT h.account_id AS "accountId", k.s AS "sourceSystem", k.key AS "partySourceKey", h.role,
         h.valid_from::text AS "validFrom"
    FROM (SELECT DISTINCT s, key FROM unnest($1::text[], $2::text[]) AS u(s, key)) AS k
   CROSS JOIN LATERAL (
     SELECT x.account_id, x.role, x.valid_from FROM account_holder x
      WHERE x.source_system = k.s AND x.party_source_key = k.key AND x.valid_to IS NULL
      OFFSET 0) h
   ORDER BY h.account_id, k.key, h.role`;

/** Every holder row (active or not) of the accounts in $1, with the customer of its party if known. */
export const HOLDERS_OF_SQL = `
  SELECT h.account_id AS "accountId", h.party_source_key AS "partySourceKey", h.role,
         h.valid_from::text AS "validFrom", (h.valid_to IS NULL) AS active,
         pc.customer_id AS "customerId"
    FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS u(id)) AS a
   CROSS JOIN LATERAL (
     SELECT x.account_id, x.party_source_key, x.role, x.source_system, x.valid_from, x.valid_to
       FROM account_holder x WHERE x.account_id = a.id OFFSET 0) h
    LEFT JOIN LATERAL (
     SELECT p.customer_id FROM party_customer p
      WHERE p.source_system = h.source_system AND p.source_key = h.party_source_key LIMIT 1) pc
      ON true`;

/** The customers currently linked (any role) to each account in $1; accounts without one left out. */
export const CUSTOMERS_OF_ACCOUNTS_SQL = `
  SELECT a.id AS "accountId", array_agg(DISTINCT pc.customer_id::text) AS "customerIds"
    FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS u(id)) AS a
   CROSS JOIN LATERAL (
     SELECT x.source_system, x.party_source_key FROM account_holder x
      WHERE x.account_id = a.id AND x.valid_to IS NULL OFFSET 0) h
   CROSS JOIN LATERAL (
     SELECT p.customer_id FROM party_customer p
      WHERE p.source_system = h.source_system AND p.source_key = h.party_source_key LIMIT 1) pc
   GROUP BY a.id`;

/** The accounts with the source keys in ($1 systems, $2 keys), as AccountState; unknown ones left out. */
export const ACCOUNTS_BY_KEY_SQL = `
  SELECT a.* FROM (SELECT DISTINCT s, key FROM unnest($1::text[], $2::text[]) AS u(s, key)) AS k
   CROSS JOIN LATERAL (
     SELECT ${ACCOUNT_COLUMNS} FROM account
      WHERE source_system = k.s AND source_key = k.key LIMIT 1) a`;

/** The stored content hash of each party record in ($1 systems, $2 keys); unknown ones left out. */
export const PARTY_HASHES_SQL = `
  SELECT k.s || ':' || k.key AS key, p.content_hash AS hash
    FROM (SELECT DISTINCT s, key FROM unnest($1::text[], $2::text[]) AS u(s, key)) AS k
   CROSS JOIN LATERAL (
     SELECT x.content_hash FROM source_party x
      WHERE x.source_system = k.s AND x.source_key = k.key LIMIT 1) p`;

/** The balance_as_of of the pending balance of each account in ($1 systems, $2 keys), if any. */
export const PENDING_BALANCES_SQL = `
  SELECT k.s || ':' || k.key AS key, p.balance_as_of AS "asOf"
    FROM (SELECT DISTINCT s, key FROM unnest($1::text[], $2::text[]) AS u(s, key)) AS k
   CROSS JOIN LATERAL (
     SELECT x.balance_as_of FROM pending_balance x
      WHERE x.source_system = k.s AND x.source_key = k.key LIMIT 1) p`;
