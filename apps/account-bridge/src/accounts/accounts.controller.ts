import { ALL_ROLES, CurrentUser, Roles, type AuthUser } from '@bank-crm/auth';
import { SourceAccountBalanceV1Schema, SourceAccountRecordV1Schema } from '@bank-crm/contracts';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Business systems call this with a machine token of role data-steward. */
  @Post('source-account-records')
  @Roles('admin', 'data-steward')
  @HttpCode(202)
  @ApiBody({ description: 'SourceAccountRecord v1', schema: SourceAccountRecordV1Schema as object })
  @ApiAcceptedResponse({
    description: 'outcome: recorded | unchanged | older-ignored, and the accountId.',
  })
  @ApiBadRequestResponse({ description: 'Field-level reasons the record was rejected.' })
  ingestRecord(
    @Body() body: Record<string, unknown>,
    @CorrelationId() correlationId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accounts.ingestRecord(body, correlationId, user);
  }

  @Post('source-account-balances')
  @Roles('admin', 'data-steward')
  @HttpCode(202)
  @ApiBody({
    description: 'SourceAccountBalance v1',
    schema: SourceAccountBalanceV1Schema as object,
  })
  @ApiAcceptedResponse({
    description:
      'outcome: recorded (also when kept for an account not yet known) | unchanged | older-ignored.',
  })
  @ApiBadRequestResponse({ description: 'Field-level reasons the update was rejected.' })
  ingestBalance(
    @Body() body: Record<string, unknown>,
    @CorrelationId() correlationId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accounts.ingestBalance(body, correlationId, user);
  }

  @Get('accounts/:accountId')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ description: 'The account (number masked) with its current holders.' })
  @ApiNotFoundResponse({ description: 'Unknown, or outside the caller’s portfolio.' })
  getAccount(
    @Param('accountId', new ParseUUIDPipe()) accountId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accounts.getAccount(accountId, user);
  }

  @Get('customers/:customerId/accounts')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({
    description:
      "The accounts linked to a customer (an absorbed id answers for its survivor), with the customer's roles.",
  })
  @ApiNotFoundResponse({ description: 'Outside the caller’s portfolio.' })
  customerAccounts(
    @Param('customerId', new ParseUUIDPipe()) customerId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accounts.customerAccounts(customerId, user);
  }
}
