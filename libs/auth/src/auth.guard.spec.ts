import {
  Controller,
  ForbiddenException,
  Get,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';

import { AuthGuard } from './auth.guard';
import { Public, Roles } from './decorators';
import type { AuthUser } from './roles';
import { InvalidTokenError, type TokenVerifier } from './token-verifier';

@Roles('auditor')
@Controller('x')
class Guarded {
  @Get('class-rule') classRule() {
    return true;
  }
  @Get('method-rule') @Roles('marketing') methodRule() {
    return true;
  }
  @Get('open') @Public() open() {
    return true;
  }
}

@Controller('y')
class Undeclared {
  @Get() forgotten() {
    return true;
  }
}

const verifier: TokenVerifier = {
  verify: (token) => {
    const users: Record<string, AuthUser> = {
      auditor: { id: 'a', roles: ['auditor'] },
      marketing: { id: 'm', roles: ['marketing'] },
    };
    const user = users[token];
    return user ? Promise.resolve(user) : Promise.reject(new InvalidTokenError('bad'));
  },
};

function http(cls: object, handler: keyof Guarded | 'forgotten', authorization?: string) {
  const headers: Record<string, string> = {};
  const req = {
    method: 'GET',
    headers: authorization ? { authorization } : {},
    user: undefined as AuthUser | undefined,
  };
  const res = { setHeader: (k: string, v: string) => (headers[k] = v) };
  const proto = (cls as { prototype: Record<string, unknown> }).prototype;
  const context = {
    getType: () => 'http',
    getHandler: () => proto[handler],
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { context, req, headers };
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(verifier);

  it('lets Kafka (RPC) handlers through without looking for a token', async () => {
    const context = { getType: () => 'rpc' } as unknown as ExecutionContext;
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });

  it('lets @Public routes through without a token', async () => {
    await expect(guard.canActivate(http(Guarded, 'open').context)).resolves.toBe(true);
  });

  it('answers 401 with WWW-Authenticate without or with a bad token', async () => {
    for (const auth of [undefined, 'Bearer nope', 'Basic abc']) {
      const { context, headers } = http(Guarded, 'classRule', auth);
      await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
      expect(headers['WWW-Authenticate']).toMatch(/^Bearer realm="bank-crm"/);
    }
  });

  it('applies the method rule over the class rule, and puts the user on the request', async () => {
    const ok = http(Guarded, 'classRule', 'Bearer auditor');
    await expect(guard.canActivate(ok.context)).resolves.toBe(true);
    expect(ok.req.user).toEqual({ id: 'a', roles: ['auditor'] });
    await expect(
      guard.canActivate(http(Guarded, 'methodRule', 'Bearer auditor').context),
    ).rejects.toBeInstanceOf(ForbiddenException);
    await expect(
      guard.canActivate(http(Guarded, 'methodRule', 'Bearer marketing').context),
    ).resolves.toBe(true);
  });

  it('denies a route with no rule (403), even to a valid token', async () => {
    await expect(
      guard.canActivate(http(Undeclared, 'forgotten', 'Bearer auditor').context),
    ).rejects.toBeInstanceOf(ForbiddenException);
  });
});
