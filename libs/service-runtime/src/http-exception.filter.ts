import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems, for 400s. */
  errors?: { field: string; message: string }[];
  correlationId?: string;
}

/**
 * The one HTTP error shape. Known HTTP errors keep their status and message; anything else is a
 * 500 with a generic message: never a stack trace or an internal detail in a response.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<{ id?: string }>();
    let body: ErrorBody;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const r =
        typeof response === 'string'
          ? { message: response }
          : (response as Record<string, unknown>);
      if (r.status === 'error' && typeof r.details === 'object') {
        // a failed readiness check: its per-dependency details are what an operator needs
        res.status(status).json(r);
        return;
      }
      body = {
        statusCode: status,
        error: typeof r.error === 'string' ? r.error : (HttpStatus[status] ?? 'Error'),
        message: Array.isArray(r.message)
          ? r.message.join('; ')
          : String(r.message ?? exception.message),
        ...(Array.isArray(r.errors) ? { errors: r.errors as ErrorBody['errors'] } : {}),
      };
    } else {
      const error = exception as Error;
      this.logger.error(`unhandled error: ${error?.name}: ${error?.message}`, error?.stack);
      body = { statusCode: 500, error: 'Internal Server Error', message: 'internal error' };
    }
    if (req.id) body.correlationId = String(req.id);
    res.status(body.statusCode).json(body);
  }
}
