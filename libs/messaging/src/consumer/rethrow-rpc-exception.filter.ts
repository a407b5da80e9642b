import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * NestJS turns a handler's exception into a generic "Internal server error" for RPC transports.
 * Our transport needs the original error (to decide retry vs dead letter and to record why), so
 * this filter hands it back untouched.
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
