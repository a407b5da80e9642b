import { normalizeOrgName } from './org-name';

describe('organisation name', () => {
  it.each([
    ['北京华为技术有限公司', '华为技术'],
    ['华为技术有限责任公司', '华为技术'],
    ['華為技術股份有限公司', '华为技术'],
    ['华为技术（北京）有限公司', '华为技术'],
    ['华为技术(北京市)有限公司', '华为技术'],
    ['广东省深圳市 华为技术有限公司', '华为技术'],
  ])('%s -> core %s', (raw, core) => {
    expect(normalizeOrgName(raw)?.core).toBe(core);
  });

  it('keeps group / subsidiary words that make a different legal entity', () => {
    expect(normalizeOrgName('华为投资控股有限公司')?.core).toBe('华为投资控股');
    expect(normalizeOrgName('华为集团有限公司')?.core).toBe('华为集团');
  });

  it('English legal forms', () => {
    expect(normalizeOrgName('Acme Trading Co., Ltd.')?.core).toBe('acme trading');
    expect(normalizeOrgName('ACME TRADING LIMITED')?.core).toBe('acme trading');
  });
});
