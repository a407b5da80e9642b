import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request, Response } from 'express';

import type { AuthUser } from './roles';
import { routePolicy } from './route-policy';
import { InvalidTokenError, type TokenVerifier } from './token-verifier';

/** Nest provider token of the service's TokenVerifier. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export type AuthenticatedRequest = Request & { user?: AuthUser };

const BEARER = /^Bearer ([^\s]+)$/i;

/**
 * The one gate of every HTTP route (registered as APP_GUARD by ServiceCoreModule):
 * `@Public()` routes pass; every other route needs a valid Bearer JWT (401 otherwise, with
 * `WWW-Authenticate: Bearer`) and one of the route's `@Roles` (403 otherwise). A route with
 * neither is refused (403): deny by default. Kafka handlers (the RPC context) are not HTTP and
 * are not guarded here.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = routePolicy(context.getHandler(), context.getClass());
    if (policy.kind === 'public') return true;

    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const res = http.getResponse<Response>();
    req.user = await this.authenticate(req, res);

    if (policy.kind === 'undeclared') {
      this.logger.error(
        `refused ${req.method} ${context.getClass().name}.${context.getHandler().name}: the route declares no @Roles or @Public`,
      );
      throw new ForbiddenException('this route has no access policy');
    }
    if (!req.user.roles.some((r) => policy.roles.includes(r)))
      throw new ForbiddenException('your role may not call this route');
    return true;
  }

  private async authenticate(req: AuthenticatedRequest, res: Response): Promise<AuthUser> {
    const header = req.headers.authorization;
    const refuse = (reason: string, error?: 'invalid_token'): never => {
      res.setHeader(
        'WWW-Authenticate',
        error ? `Bearer realm="bank-crm", error="${error}"` : 'Bearer realm="bank-crm"',
      );
      this.logger.debug(`401 ${req.method}: ${reason}`);
      throw new UnauthorizedException(
        error ? 'the access token is invalid or expired' : 'a Bearer access token is required',
      );
    };
    if (typeof header !== 'string' || header === '') return refuse('no Authorization header');
    const match = BEARER.exec(header);
    if (!match) return refuse('Authorization is not a single Bearer token', 'invalid_token');
    try {
      return await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) return refuse(error.reason, 'invalid_token');
      this.logger.error(`token verification failed: ${(error as Error).message}`);
      return refuse('verification error', 'invalid_token');
    }
  }
}
