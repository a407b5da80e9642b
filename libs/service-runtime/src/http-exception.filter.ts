import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { scrubPii } from '@bank-crm/observability';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems, for 400s. */
  errors?: { field: string; message: string }[];
  correlationId?: string;
}

const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  'entity.too.large': 'the request body is too large',
  'entity.parse.failed': 'the request body is not valid JSON',
  'encoding.unsupported': 'unsupported content encoding',
  'charset.unsupported': 'unsupported charset',
  'request.aborted': 'the request was aborted',
  'entity.verify.failed': 'the request body was refused',
  'parameters.too.many': 'too many parameters',
};

/**
 * The message sent to the caller: the router's "Cannot GET /path" would echo a path that can hold
 * an identifier; every other message is scrubbed of anything that looks like personal data.
 */
function safeMessage(status: number, message: string): string {
  if (status === 404 && /^Cannot [A-Z]+ \//.test(message)) return 'no such route';
  return scrubPii(message);
}

/** An http-errors style client error (status 4xx, marked safe to expose). */
function isClientHttpError(e: unknown): e is { status: number; type?: unknown } {
  const candidate = e as { status?: unknown; expose?: unknown } | null;
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true
  );
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
        message: safeMessage(
          status,
          Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message),
        ),
        ...(Array.isArray(r.errors)
          ? {
              errors: (r.errors as NonNullable<ErrorBody['errors']>).map((e) => ({
                field: e.field,
                message: scrubPii(String(e.message)),
              })),
            }
          : {}),
      };
    } else if (isClientHttpError(exception)) {
      // body-parser and friends (http-errors): keep the 4xx, never their message (a JSON parse
      // error quotes the body it failed on)
      const status = exception.status;
      body = {
        statusCode: status,
        error: HttpStatus[status] ?? 'Error',
        message: CLIENT_ERROR_MESSAGES[String(exception.type)] ?? 'the request was refused',
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
