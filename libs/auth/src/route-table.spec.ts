import { Controller, Get, Module, Post } from '@nestjs/common';

import { Public, Roles } from './decorators';
import { dataScopeOf, rlsPolicyStatements } from './data-scope';
import {
  normaliseMarkdownTables,
  renderRoleMatrix,
  routeTable,
  routesWithoutPolicy,
} from './route-table';

@Controller('things')
@Roles('admin')
class ThingsController {
  @Get() list() {
    return true;
  }
  @Post(':id') @Roles('data-steward') change() {
    return true;
  }
}

@Controller('open')
class OpenController {
  @Get() @Public() ping() {
    return true;
  }
  @Get('forgotten') forgotten() {
    return true;
  }
}

@Module({ controllers: [OpenController] })
class ChildModule {}

@Module({ imports: [ChildModule, { module: class Dyn {}, controllers: [ThingsController] }] })
class RootModule {}

describe('routeTable', () => {
  const routes = routeTable(RootModule);

  it('finds every route of static and dynamic modules with its policy', () => {
    expect(routes.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.policy)}`)).toEqual([
      'GET /open {"kind":"public"}',
      'GET /open/forgotten {"kind":"undeclared"}',
      'GET /things {"kind":"roles","roles":["admin"]}',
      'POST /things/:id {"kind":"roles","roles":["data-steward"]}',
    ]);
  });

  it('flags the routes without a rule', () => {
    expect(routesWithoutPolicy(routes).map((r) => r.handler)).toEqual(['forgotten']);
  });

  it('renders the role matrix', () => {
    const table = normaliseMarkdownTables(renderRoleMatrix(routes));
    expect(table).toContain('POST|`/things/:id`|no|no|no|no|yes|no');
    expect(table).toContain('GET|`/open/forgotten`|no|no|no|no|no|no');
  });
});

describe('data scope', () => {
  it('scopes a relationship manager to their portfolio, staff roles to all', () => {
    expect(dataScopeOf({ id: 'rm-1', roles: ['relationship-manager'] })).toEqual({
      kind: 'portfolio',
      userId: 'rm-1',
      relationshipManagerId: 'rm-1',
    });
    expect(dataScopeOf({ id: 'u', roles: ['relationship-manager', 'service-agent'] }).kind).toBe(
      'all',
    );
  });

  it('makes FORCEd, fail-closed RLS policies and refuses odd identifiers', () => {
    const sql = rlsPolicyStatements('customer').join(';\n');
    expect(sql).toContain('FORCE ROW LEVEL SECURITY');
    expect(sql).toContain("current_setting('bank_crm.bypass', true) = 'on'");
    expect(() => rlsPolicyStatements('customer; DROP TABLE x')).toThrow();
  });
});
