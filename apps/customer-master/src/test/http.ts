import * as testing from '@bank-crm/testing';

/**
 * Requests of the integration tests. Once @bank-crm/testing exports `bearer(role, userId)`, every
 * request carries its token; until then no Authorization header is sent.
 */
type BearerHelper = (role: string, userId: string) => unknown;

const bearer = (testing as unknown as { bearer?: BearerHelper }).bearer;

export async function authHeaders(role: string, userId: string): Promise<Record<string, string>> {
  if (typeof bearer !== 'function') return {};
  const value: unknown = await bearer(role, userId);
  if (typeof value === 'string') {
    return { authorization: value.startsWith('Bearer ') ? value : `Bearer ${value}` };
  }
  return value as Record<string, string>;
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Caller {
  role: string;
  userId: string;
}

export const ADMIN: Caller = { role: 'admin', userId: 'test-admin' };
export const STEWARD: Caller = { role: 'data-steward', userId: 'test-steward' };

/** A small JSON client for one running service, acting as one caller. */
export function httpClient(baseUrl: string, caller: Caller = ADMIN) {
  const send = async <T>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(await authHeaders(caller.role, caller.userId)),
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    get: <T = unknown>(path: string) => send<T>('GET', path),
    post: <T = unknown>(path: string, body?: unknown) => send<T>('POST', path, body ?? {}),
    patch: <T = unknown>(path: string, body: unknown) => send<T>('PATCH', path, body),
    as: (other: Caller) => httpClient(baseUrl, other),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
