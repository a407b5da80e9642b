import { rmScopeOf } from './caller';

describe('rmScopeOf', () => {
  it('limits a relationship manager to their own portfolio', () => {
    expect(rmScopeOf({ id: 'rm-1', roles: ['relationship-manager'] })).toBe('rm-1');
  });

  it('does not limit broader roles, alone or together with relationship-manager', () => {
    expect(rmScopeOf({ id: 'a', roles: ['admin'] })).toBeUndefined();
    expect(rmScopeOf({ id: 'm', roles: ['marketing'] })).toBeUndefined();
    expect(rmScopeOf({ id: 's', roles: ['relationship-manager', 'data-steward'] })).toBeUndefined();
  });
});
