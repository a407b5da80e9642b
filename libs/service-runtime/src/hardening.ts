import { EXPENSIVE_KEY } from '@bank-crm/auth';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** The throttler that counts calls to routes marked @Expensive(). */
export const EXPENSIVE_THROTTLER = 'expensive';

/** Rate limits only the routes marked @Expensive(), keyed by the authenticated user (else IP). */
@Injectable()
export class ExpensiveRouteThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const marked =
      Reflect.getMetadata(EXPENSIVE_KEY, context.getHandler()) === true ||
      Reflect.getMetadata(EXPENSIVE_KEY, context.getClass()) === true;
    return Promise.resolve(!marked);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as { id?: string } | undefined;
    return Promise.resolve(user?.id ? `user:${user.id}` : `ip:${String(req.ip)}`);
  }
}
