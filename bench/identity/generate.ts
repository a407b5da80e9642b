/**
 * Synthetic bank customer data with ground truth.
 *   generate.ts --people N --seed S --out records.jsonl --truth truth.jsonl [--locale cn|western]
 * Chinese set: 3-5 source systems per run of people, traditional characters, full-width digits,
 * spaces in names, pinyin-only names, 15-digit legacy ids, dirty and mistyped ids, invalid birth
 * dates, phone formats/typos/changes, address variants, organisation name and legal-form variants,
 * legacy organisation-code-only records. Hard negatives: twins, households sharing address/phone,
 * common-name namesakes born the same year, related companies sharing a brand and a phone.
 * Western set: given/family swaps, nicknames, typos, diacritics, passports / national ids.
 * As in a real population, every identity number (resident id, organisation code and USCC,
 * passport, national id) is issued to one person or organisation only, at any size; the noise is
 * made per record from that number. Twins never share a given name.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

import { orgCodeCheckChar, residentIdCheckChar, usccCheckChar } from '@bank-crm/identity';

import { Rng } from './rng';

type Rec = Record<string, string | null>;
export interface Generated {
  records: Rec[];
  /** `sourceSystem:sourceKey` -> entity id */
  truth: Map<string, string>;
  entities: number;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const RARE_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '单', '解', '仇', '查', '区', '曾'];
const GIVEN_CHARS =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平红玉兰桂霞志文辉海燕鹏飞宇浩然子涵轩梓萱雨欣怡博睿晨思佳琪俊凯嘉瑶婷晓东春梅波斌颖亮新丹云峰光荣瑞成鑫雪冬宁昊天豪阳帆琳璐倩蕾薇悦鸿彬林森'.split(
    '',
  );
const COMMON_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '慧',
];
const REGIONS: [string, string, string][] = [
  ['110105', '北京市', '朝阳区'],
  ['110108', '北京市', '海淀区'],
  ['310104', '上海市', '徐汇区'],
  ['310115', '上海市', '浦东新区'],
  ['440305', '广东省深圳市', '南山区'],
  ['440106', '广东省广州市', '天河区'],
  ['320102', '江苏省南京市', '玄武区'],
  ['330106', '浙江省杭州市', '西湖区'],
  ['420111', '湖北省武汉市', '洪山区'],
  ['510107', '四川省成都市', '武侯区'],
  ['610113', '陕西省西安市', '雁塔区'],
  ['370202', '山东省青岛市', '市南区'],
];
const ROADS =
  '建国 人民 解放 中山 长安 南京 淮海 和平 胜利 光明 文化 新华 青年 复兴 迎宾 滨江 科技 学府 金融 东风'.split(
    ' ',
  );
const ROAD_SUFFIX = ['路', '大道', '街'];
const BRANDS =
  '华信 中联 恒达 鑫源 宏远 天成 金桥 瑞丰 东方 海纳 百川 启明 博远 正泰 安康 永盛 德润 嘉禾 新锐 长青 汇通 uni 凯旋 锦程 联创 同舟 盛世 万象 星辰 银河'
    .split(' ')
    .filter((b) => b !== 'uni');
const INDUSTRIES =
  '科技 贸易 实业 投资 建设 医药 物流 电子 能源 食品 置业 咨询 网络 材料 机械'.split(' ');
const LEGAL = ['有限公司', '有限责任公司', '股份有限公司'];
const CITY_OF_ORG = [
  '北京',
  '上海',
  '深圳',
  '广州',
  '南京',
  '杭州',
  '武汉',
  '成都',
  '西安',
  '青岛',
];
const DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'foxmail.com'];
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const CN_SYSTEMS = ['core-banking', 'cards', 'loans', 'wealth', 'online-banking'];

let toTrad: ((s: string) => string) | undefined;
const trad = (s: string): string => (toTrad ??= OpenCC.Converter({ from: 'cn', to: 'hk' }))(s);
const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const py = (han: string, surname: boolean): string =>
  (
    pinyin(han, {
      toneType: 'none',
      type: 'array',
      surname: surname ? 'all' : 'off',
      v: true,
    }) as string[]
  ).join('');
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

interface Person {
  entity: string;
  surname: string;
  given: string;
  gender: 'M' | 'F';
  birth: { y: number; m: number; d: number };
  region: [string, string, string];
  id: string;
  phone: string;
  phone2: string;
  email: string | null;
  address: { road: string; no: number; bld: number; unit: number; room: number };
}

interface Org {
  entity: string;
  brand: string;
  industry: string;
  legal: string;
  city: string;
  uscc: string;
  orgCode: string;
  regDate: string;
  phone: string;
  address: { road: string; no: number };
}

function randomPhone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.int(0, 9)}${pad(rng.int(0, 99999999), 8)}`;
}

/**
 * Identity numbers are unique per person in a real population: a number once issued is never
 * issued again (its noisy copies - typos, legacy forms, failed checksums - are made per record).
 */
type Issued = Set<string>;

function residentId(
  rng: Rng,
  issued: Issued,
  region: string,
  b: { y: number; m: number; d: number },
  gender: 'M' | 'F',
  order?: number,
): string {
  let o = order ?? rng.int(1, 499) * 2;
  for (let tries = 0; tries < 5000; tries++) {
    if (gender === 'M' && o % 2 === 0) o = (o + 1) % 1000;
    if (gender === 'F' && o % 2 === 1) o = (o + 1) % 1000;
    const first17 = `${region}${b.y}${pad(b.m, 2)}${pad(b.d, 2)}${pad(o, 3)}`;
    const id = first17 + residentIdCheckChar(first17);
    if (!issued.has(id)) {
      issued.add(id);
      return id;
    }
    // taken: the next order code of the same sex (twins: the sibling's neighbour), else a random one
    o = order !== undefined && tries < 500 ? (o + 2) % 1000 : rng.int(1, 499) * 2;
  }
  throw new Error(`resident id space exhausted for ${region} ${b.y}-${b.m}-${b.d}`);
}

/** Draws from `make` until the value has not been issued before as an identifier of this kind. */
function unique(issued: Issued, kind: string, make: () => string): string {
  for (let tries = 0; tries < 1000; tries++) {
    const v = make();
    if (!issued.has(`${kind}:${v}`)) {
      issued.add(`${kind}:${v}`);
      return v;
    }
  }
  throw new Error(`${kind} space exhausted`);
}

function randomBirth(rng: Rng, year?: number) {
  const y = year ?? rng.int(1945, 2004);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return { y, m, d };
}

function givenName(rng: Rng): string {
  if (rng.chance(0.12)) return rng.pick(COMMON_NAMES);
  const n = rng.chance(0.3) ? 1 : 2;
  let g = '';
  for (let i = 0; i < n; i++) g += rng.pick(GIVEN_CHARS);
  return g;
}

function newPerson(rng: Rng, issued: Issued, entity: string, over: Partial<Person> = {}): Person {
  const surname =
    over.surname ?? (rng.chance(0.03) ? rng.pick(RARE_SURNAMES) : rng.zipf(SURNAMES, 0.6));
  const gender = over.gender ?? (rng.chance(0.5) ? 'M' : 'F');
  const birth = over.birth ?? randomBirth(rng);
  const region = over.region ?? rng.pick(REGIONS);
  const given = over.given ?? givenName(rng);
  const p: Person = {
    entity,
    surname,
    given,
    gender,
    birth,
    region,
    id: over.id ?? residentId(rng, issued, region[0], birth, gender),
    phone: over.phone ?? randomPhone(rng),
    phone2: randomPhone(rng),
    email: null,
    address: over.address ?? {
      road: rng.pick(ROADS) + rng.pick(ROAD_SUFFIX),
      no: rng.int(1, 999),
      bld: rng.int(1, 30),
      unit: rng.int(1, 6),
      room: rng.int(1, 33) * 100 + rng.int(1, 4),
    },
  };
  // mailbox names are unique at the provider: the entity number stands in for that uniqueness
  if (rng.chance(0.55))
    p.email = `${py(surname, true)}${rng.chance(0.5) ? '.' : ''}${py(given, false)}${entity.slice(1)}@${rng.pick(DOMAINS)}`;
  return p;
}

function personAddress(rng: Rng, p: Person): string {
  const a = p.address;
  const [, prov, dist] = p.region;
  const head = rng.chance(0.6) ? prov + dist : rng.chance(0.5) ? dist : '';
  const no = rng.chance(0.15) ? `${a.no}號` : `${a.no}号`;
  const tail = rng.chance(0.25)
    ? `${a.bld}-${a.unit}-${a.room}`
    : `${a.bld}${rng.pick(['栋', '号楼', '幢'])}${a.unit}单元${a.room}${rng.chance(0.7) ? '室' : ''}`;
  let s = `${head}${a.road}${no}${tail}`;
  if (rng.chance(0.1)) s = trad(s);
  return s;
}

function formatPhone(rng: Rng, phone: string): string {
  const r = rng.next();
  if (r < 0.4) return phone;
  if (r < 0.55) return `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
  if (r < 0.7) return `86-${phone}`;
  if (r < 0.85) return `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
  return fullWidth(phone);
}

function typo(rng: Rng, digits: string): string {
  const i = rng.int(0, digits.length - 1);
  const c = String((Number(digits[i]) + rng.int(1, 9)) % 10);
  return /\d/.test(digits[i]) ? digits.slice(0, i) + c + digits.slice(i + 1) : digits;
}

function dirtyId(rng: Rng, id: string, p: Person, legacyOk: boolean): string {
  if (legacyOk && p.birth.y < 2000 && rng.chance(0.08)) return id.slice(0, 6) + id.slice(8, 17); // 15-digit legacy
  let s = id;
  if (rng.chance(0.02)) s = typo(rng, s.slice(0, 17)) + s[17];
  const r = rng.next();
  if (r < 0.1) s = `${s.slice(0, 6)} ${s.slice(6, 14)} ${s.slice(14)}`;
  else if (r < 0.15) s = `${s.slice(0, 6)}-${s.slice(6, 14)}-${s.slice(14)}`;
  else if (r < 0.22) s = fullWidth(s);
  if (rng.chance(0.5)) s = s.toLowerCase();
  return s;
}

function birthText(rng: Rng, b: { y: number; m: number; d: number }): string | null {
  const r = rng.next();
  if (r < 0.04)
    return rng.pick([`${b.y}-02-30`, '0000-00-00', `${b.y}-13-${pad(b.d, 2)}`, '1900-01-01x']);
  if (r < 0.06)
    return `${b.y}-${pad(b.d, 2)}-${pad(b.m, 2)}`.replace(
      /-(\d\d)-(\d\d)$/,
      (_m, a: string, c: string) => (Number(a) <= 12 ? `-${a}-${c}` : `-${c}-${a}`),
    );
  if (r < 0.1) return null;
  if (r < 0.2) return `${b.y}/${b.m}/${b.d}`;
  if (r < 0.25) return `${b.y}年${b.m}月${b.d}日`;
  return `${b.y}-${pad(b.m, 2)}-${pad(b.d, 2)}`;
}

function personRecord(rng: Rng, p: Person, system: string, key: string): Rec {
  const han = p.surname + p.given;
  const r: Rec = { sourceSystem: system, sourceKey: key, partyType: 'individual' };
  const pinyinOnly = system === 'wealth' && rng.chance(0.7);
  if (pinyinOnly) {
    const s = cap(py(p.surname, true));
    const g = cap(py(p.given, false));
    r.nameLatin = rng.chance(0.5)
      ? `${s.toUpperCase()} ${g}`
      : rng.chance(0.5)
        ? `${g} ${s}`
        : `${s} ${g}`.toLowerCase();
  } else {
    let n = han;
    if (rng.chance(system === 'cards' ? 0.3 : 0.08)) n = trad(n);
    if (rng.chance(0.08)) n = n.split('').join(' ');
    r.name = n;
    if (rng.chance(0.2)) r.nameLatin = `${cap(py(p.surname, true))} ${cap(py(p.given, false))}`;
  }
  const missingId = system === 'online-banking' ? 0.4 : system === 'wealth' ? 0.25 : 0.06;
  if (!rng.chance(missingId)) {
    r.idType = 'CN_RESIDENT_ID';
    r.idNumber = dirtyId(rng, p.id, p, system === 'core-banking' || system === 'loans');
  }
  r.birthDate = rng.chance(0.15) ? null : birthText(rng, p.birth);
  r.gender = rng.chance(0.2)
    ? null
    : rng.pick(p.gender === 'M' ? ['M', '男', 'male'] : ['F', '女', 'female']);
  if (!rng.chance(0.12)) {
    let ph = rng.chance(0.15) ? p.phone2 : p.phone; // changed number
    if (rng.chance(0.03)) ph = typo(rng, ph);
    r.phone = formatPhone(rng, ph);
  }
  if (p.email && rng.chance(0.6)) r.email = rng.chance(0.2) ? p.email.toUpperCase() : p.email;
  if (!rng.chance(system === 'online-banking' ? 0.5 : 0.15)) r.address = personAddress(rng, p);
  r.observedAt = new Date(
    Date.UTC(2020 + rng.int(0, 5), rng.int(0, 11), rng.int(1, 28)),
  ).toISOString();
  return r;
}

function newOrg(rng: Rng, issued: Issued, entity: string, over: Partial<Org> = {}): Org {
  const region = rng.pick(REGIONS)[0];
  const orgCode = unique(issued, 'org-code', () => {
    let oc8 = '';
    for (let i = 0; i < 8; i++) oc8 += rng.pick(USCC_ALPHABET.split(''));
    return oc8 + orgCodeCheckChar(oc8);
  });
  const first17 = `91${region}${orgCode}`;
  const uscc = first17 + usccCheckChar(first17);
  const y = rng.int(1990, 2023);
  return {
    entity,
    brand: over.brand ?? rng.pick(BRANDS) + (rng.chance(0.5) ? rng.pick(BRANDS).slice(0, 1) : ''),
    industry: over.industry ?? rng.pick(INDUSTRIES),
    legal: rng.pick(LEGAL),
    city: over.city ?? rng.pick(CITY_OF_ORG),
    uscc: USCC_ALPHABET.includes(uscc[17]) ? uscc : uscc,
    orgCode,
    regDate: `${y}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`,
    phone:
      over.phone ??
      (rng.chance(0.5) ? `0${rng.int(10, 99)}${pad(rng.int(0, 99999999), 8)}` : randomPhone(rng)),
    address: over.address ?? { road: rng.pick(ROADS) + rng.pick(ROAD_SUFFIX), no: rng.int(1, 999) },
  };
}

function orgRecord(rng: Rng, o: Org, system: string, key: string): Rec {
  const r: Rec = { sourceSystem: system, sourceKey: key, partyType: 'organization' };
  const legal = rng.chance(0.25) ? rng.pick(LEGAL) : o.legal; // 有限公司 vs 有限责任公司 across systems
  const v = rng.next();
  let name =
    v < 0.4
      ? `${o.city}${o.brand}${o.industry}${legal}`
      : v < 0.6
        ? `${o.brand}${o.industry}${legal}`
        : v < 0.8
          ? `${o.brand}${o.industry}（${o.city}）${legal}`
          : `${o.city}市${o.brand}${o.industry}${legal}`;
  if (rng.chance(0.1)) name = name.replace(/（/g, '(').replace(/）/g, ')');
  if (rng.chance(0.1)) name = trad(name);
  r.name = name;
  const idr = rng.next();
  if (idr < 0.15) {
    r.idType = 'CN_ORG_CODE';
    r.idNumber = rng.chance(0.5) ? `${o.orgCode.slice(0, 8)}-${o.orgCode[8]}` : o.orgCode;
  } else if (idr < 0.25) {
    r.idType = null;
  } else {
    r.idType = 'CN_USCC';
    let s = o.uscc;
    if (rng.chance(0.02)) s = typo(rng, s.slice(0, 8)) + s.slice(8);
    r.idNumber = rng.chance(0.2) ? s.toLowerCase() : rng.chance(0.1) ? fullWidth(s) : s;
  }
  if (rng.chance(0.6)) r.birthDate = o.regDate;
  if (!rng.chance(0.15))
    r.phone = rng.chance(0.1)
      ? randomPhone(rng)
      : o.phone.startsWith('1')
        ? formatPhone(rng, o.phone)
        : `${o.phone.slice(0, 3)}-${o.phone.slice(3)}`;
  if (!rng.chance(0.3))
    r.address = `${rng.chance(0.5) ? `${o.city}市` : ''}${o.address.road}${o.address.no}号`;
  return r;
}

/* ---------------------------------------- western ---------------------------------------- */

const W_MALE =
  'james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony steven andrew joshua kenneth kevin brian george edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel frank gregory raymond patrick alexander jack dennis peter henry carl arthur'.split(
    ' ',
  );
const W_FEMALE =
  'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla'.split(
    ' ',
  );
const W_SURNAMES =
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann dubois moreau laurent lefebvre rossi russo ferrari esposito bianchi romano'.split(
    ' ',
  );
const W_NICK: Record<string, string[]> = {
  william: ['bill', 'will', 'billy'],
  robert: ['bob', 'rob', 'bobby'],
  richard: ['rick', 'dick', 'rich'],
  james: ['jim', 'jimmy'],
  michael: ['mike', 'mick'],
  thomas: ['tom', 'tommy'],
  joseph: ['joe'],
  david: ['dave'],
  daniel: ['dan', 'danny'],
  christopher: ['chris'],
  matthew: ['matt'],
  anthony: ['tony'],
  andrew: ['andy', 'drew'],
  edward: ['ed', 'ted', 'eddie'],
  samuel: ['sam'],
  benjamin: ['ben'],
  nicholas: ['nick'],
  alexander: ['alex'],
  jonathan: ['jon'],
  elizabeth: ['liz', 'beth', 'betty'],
  katherine: ['kate', 'katie'],
  margaret: ['maggie', 'peggy'],
  jennifer: ['jenny', 'jen'],
  susan: ['sue'],
  deborah: ['debbie'],
  rebecca: ['becky'],
  victoria: ['vicky'],
  abigail: ['abby'],
  patricia: ['patty', 'trish'],
  jessica: ['jess'],
};
const STREETS =
  'Main Oak Maple Cedar Pine Elm Washington Lake Hill Park Sunset Church High Mill Station Victoria King Queen River Green'.split(
    ' ',
  );
const STREET_T = [
  ['Street', 'St'],
  ['Avenue', 'Ave'],
  ['Road', 'Rd'],
  ['Drive', 'Dr'],
  ['Lane', 'Ln'],
];
const W_SYSTEMS = ['core-banking', 'cards', 'mortgages', 'brokerage'];

interface WPerson {
  entity: string;
  given: string;
  middle: string | null;
  family: string;
  gender: 'M' | 'F';
  birth: string;
  passport: string | null;
  nationalId: string;
  phone: string;
  phone2: string;
  email: string;
  street: { no: number; name: string; type: number; apt: number | null; city: string };
}

function wPerson(rng: Rng, issued: Issued, entity: string, over: Partial<WPerson> = {}): WPerson {
  const gender = over.gender ?? (rng.chance(0.5) ? 'M' : 'F');
  const given = over.given ?? rng.zipf(gender === 'M' ? W_MALE : W_FEMALE, 0.8);
  const family = over.family ?? rng.zipf(W_SURNAMES, 1);
  const b = randomBirth(rng);
  return {
    entity,
    given,
    middle: rng.chance(0.4) ? rng.pick(gender === 'M' ? W_MALE : W_FEMALE) : null,
    family,
    gender,
    birth: over.birth ?? `${b.y}-${pad(b.m, 2)}-${pad(b.d, 2)}`,
    passport: rng.chance(0.6)
      ? unique(
          issued,
          'passport',
          () => `${String.fromCharCode(65 + rng.int(0, 25))}${pad(rng.int(0, 99999999), 8)}`,
        )
      : null,
    nationalId: unique(issued, 'national-id', () => pad(rng.int(100000000, 899999999), 9)),
    phone: over.phone ?? `+1 ${rng.int(201, 989)} ${rng.int(200, 999)} ${pad(rng.int(0, 9999), 4)}`,
    phone2: `+1 ${rng.int(201, 989)} ${rng.int(200, 999)} ${pad(rng.int(0, 9999), 4)}`,
    email: `${given}.${family}${entity.slice(1)}@${rng.pick(['gmail.com', 'yahoo.com', 'outlook.com', 'mail.com'])}`,
    street: over.street ?? {
      no: rng.int(1, 9999),
      name: rng.pick(STREETS),
      type: rng.int(0, STREET_T.length - 1),
      apt: rng.chance(0.3) ? rng.int(1, 40) : null,
      city: rng.pick([
        'Springfield',
        'Riverside',
        'Franklin',
        'Greenville',
        'Bristol',
        'Clinton',
        'Madison',
      ]),
    },
  };
}

function wTypo(rng: Rng, s: string): string {
  if (s.length < 4) return s;
  const i = rng.int(1, s.length - 2);
  const r = rng.next();
  if (r < 0.33) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transposition
  if (r < 0.66) return s.slice(0, i) + s.slice(i + 1); // deletion
  return s.slice(0, i) + String.fromCharCode(97 + rng.int(0, 25)) + s.slice(i + 1);
}

function wRecord(rng: Rng, p: WPerson, system: string, key: string): Rec {
  const r: Rec = { sourceSystem: system, sourceKey: key, partyType: 'individual' };
  let given = p.given;
  let family = p.family;
  if (W_NICK[given] && rng.chance(0.15)) given = rng.pick(W_NICK[given]);
  const typoDraw = rng.next();
  if (typoDraw < 0.05) given = wTypo(rng, given);
  else if (typoDraw < 0.1) family = wTypo(rng, family);
  const G = cap(given);
  const F = cap(family).replace(/^(Garcia|Lopez|Martinez)$/, (m) =>
    rng.chance(0.3) ? m.replace('a', 'á').replace('e', 'é') : m,
  );
  const M =
    p.middle && rng.chance(0.3)
      ? ` ${rng.chance(0.5) ? cap(p.middle) : p.middle[0].toUpperCase() + '.'}`
      : '';
  const form = rng.next();
  if (form < 0.2) {
    r.givenName = G;
    r.familyName = F;
  } else if (form < 0.3) r.name = `${F}, ${G}`;
  else if (form < 0.38) r.name = `${F.toUpperCase()} ${G}`;
  else r.name = rng.chance(0.1) ? `${G}${M} ${F}`.toUpperCase() : `${G}${M} ${F}`;
  const idr = rng.next();
  if (idr < 0.45 && p.passport) {
    r.idType = 'PASSPORT';
    r.idNumber = rng.chance(0.2) ? p.passport.toLowerCase() : p.passport;
  } else if (idr < 0.75) {
    r.idType = 'NATIONAL_ID';
    r.idNumber = rng.chance(0.5)
      ? `${p.nationalId.slice(0, 3)}-${p.nationalId.slice(3, 5)}-${p.nationalId.slice(5)}`
      : p.nationalId;
    if (rng.chance(0.02)) r.idNumber = typo(rng, p.nationalId);
  }
  r.birthDate = rng.chance(0.1)
    ? null
    : rng.chance(0.03)
      ? `${p.birth.slice(0, 5)}02-31`
      : rng.chance(0.02)
        ? `${p.birth.slice(0, 8)}${pad(((Number(p.birth.slice(8)) + 1) % 28) + 1, 2)}`
        : p.birth;
  r.gender = rng.chance(0.3) ? null : p.gender;
  if (!rng.chance(0.15))
    r.phone = rng.chance(0.15)
      ? p.phone2
      : rng.chance(0.5)
        ? p.phone.replace(/^\+1 /, '(').replace(/ /, ') ')
        : p.phone;
  if (rng.chance(0.5)) r.email = rng.chance(0.2) ? p.email.toUpperCase() : p.email;
  if (!rng.chance(0.2)) {
    const s = p.street;
    const [long, short] = STREET_T[s.type];
    r.address = `${s.no} ${s.name} ${rng.chance(0.5) ? long : short}${s.apt ? `${rng.chance(0.5) ? ', Apt ' : ' #'}${s.apt}` : ''}, ${s.city}`;
  }
  return r;
}

/* ---------------------------------------- driver ---------------------------------------- */

export function generate(opts: {
  people: number;
  seed: number;
  locale?: 'cn' | 'western';
}): Generated {
  const rng = new Rng(opts.seed);
  const records: Rec[] = [];
  const truth = new Map<string, string>();
  const counters = new Map<string, number>();
  const issued: Issued = new Set();
  const western = opts.locale === 'western';
  const systems = western
    ? W_SYSTEMS
    : rng.shuffle([...CN_SYSTEMS]).slice(0, Math.max(3, Math.min(5, 3 + (opts.seed % 3))));
  if (!western && !systems.includes('wealth')) systems[systems.length - 1] = 'wealth';
  const keyFor = (system: string): string => {
    const n = (counters.get(system) ?? 0) + 1;
    counters.set(system, n);
    return `${system.slice(0, 2).toUpperCase()}-${pad(((n * 7919) % 100000000) + n, 9)}`;
  };
  const emit = (entity: string, make: (system: string, key: string) => Rec): void => {
    const k =
      1 + (rng.chance(0.75) ? 1 : 0) + (rng.chance(0.35) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
    const chosen = rng.shuffle([...systems]).slice(0, Math.min(k, systems.length));
    if (rng.chance(0.03)) chosen.push(chosen[0]); // a second account record in one system
    for (const system of chosen) {
      const key = keyFor(system);
      records.push(make(system, key));
      truth.set(`${system}:${key}`, entity);
    }
  };
  let e = 0;
  const nextEntity = (): string => `E${++e}`;
  while (e < opts.people) {
    if (western) {
      const p = wPerson(rng, issued, nextEntity());
      emit(p.entity, (s, k) => wRecord(rng, p, s, k));
      const r = rng.next();
      if (r < 0.03) {
        // twin: parents never give twins the same given name
        const gender = rng.chance(0.5) ? 'M' : 'F';
        let given = p.given;
        while (given === p.given) given = rng.zipf(gender === 'M' ? W_MALE : W_FEMALE, 0.8);
        const t = wPerson(rng, issued, nextEntity(), {
          gender,
          given,
          family: p.family,
          birth: p.birth,
          street: p.street,
          phone: p.phone,
        });
        emit(t.entity, (s, k) => wRecord(rng, t, s, k)); // twin
      } else if (r < 0.2) {
        const f = wPerson(rng, issued, nextEntity(), {
          family: p.family,
          street: p.street,
          phone: rng.chance(0.4) ? p.phone : undefined,
        });
        emit(f.entity, (s, k) => wRecord(rng, f, s, k)); // household
      } else if (r < 0.25) {
        const n = wPerson(rng, issued, nextEntity(), {
          given: p.given,
          family: p.family,
          gender: p.gender,
          birth: `${p.birth.slice(0, 4)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`,
        });
        emit(n.entity, (s, k) => wRecord(rng, n, s, k)); // namesake, same birth year
      }
      continue;
    }
    if (rng.chance(0.12)) {
      const o = newOrg(rng, issued, nextEntity());
      emit(o.entity, (s, k) => orgRecord(rng, o, s, k));
      if (rng.chance(0.25)) {
        // related companies of one group: same brand (and often city), shared phone, different USCC
        const n = rng.int(1, 3);
        for (let i = 0; i < n; i++) {
          const industry = INDUSTRIES.filter((x) => x !== o.industry)[i % (INDUSTRIES.length - 1)];
          const sib = newOrg(rng, issued, nextEntity(), {
            brand: o.brand,
            industry: rng.chance(0.3)
              ? `${o.industry}${rng.pick(['服务', '管理', '发展'])}`
              : industry,
            city: rng.chance(0.7) ? o.city : undefined,
            phone: rng.chance(0.7) ? o.phone : undefined,
            address: rng.chance(0.5) ? o.address : undefined,
          });
          emit(sib.entity, (s, k) => orgRecord(rng, sib, s, k));
        }
      }
      continue;
    }
    const p = newPerson(rng, issued, nextEntity());
    emit(p.entity, (s, k) => personRecord(rng, p, s, k));
    const r = rng.next();
    if (r < 0.03) {
      // twin: same surname, birth date, address, often phone; different given name and id order code
      const gender = rng.chance(0.5) ? p.gender : p.gender === 'M' ? 'F' : 'M';
      const order = Number(p.id.slice(14, 17)) + (gender === p.gender ? 2 : 1);
      let given = p.given;
      while (given === p.given) given = givenName(rng);
      const t = newPerson(rng, issued, nextEntity(), {
        surname: p.surname,
        given,
        birth: p.birth,
        region: p.region,
        address: p.address,
        gender,
        phone: rng.chance(0.5) ? p.phone : undefined,
        id: residentId(rng, issued, p.region[0], p.birth, gender, order % 1000),
      });
      emit(t.entity, (s, k) => personRecord(rng, t, s, k));
    } else if (r < 0.25) {
      // household: spouse / child / parent at the same address, sometimes the same phone
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++) {
        const child = rng.chance(0.5);
        const f = newPerson(rng, issued, nextEntity(), {
          surname: child ? p.surname : undefined,
          region: p.region,
          address: p.address,
          phone: rng.chance(0.3) ? p.phone : undefined,
          birth: child ? randomBirth(rng, Math.min(2010, p.birth.y + rng.int(20, 35))) : undefined,
        });
        emit(f.entity, (s, k) => personRecord(rng, f, s, k));
      }
    } else if (r < 0.3) {
      // namesakes: the same common name, born the same year
      const n = rng.int(1, 2);
      for (let i = 0; i < n; i++) {
        const ns = newPerson(rng, issued, nextEntity(), {
          surname: p.surname,
          given: p.given,
          gender: p.gender,
          birth: randomBirth(rng, p.birth.y),
        });
        emit(ns.entity, (s, k) => personRecord(rng, ns, s, k));
      }
    }
  }
  rng.shuffle(records);
  return { records, truth, entities: e };
}

function arg(name: string, dflt?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

export async function writeGenerated(g: Generated, out: string, truthPath: string): Promise<void> {
  const w = createWriteStream(out);
  for (const r of g.records) if (!w.write(`${JSON.stringify(r)}\n`)) await once(w, 'drain');
  w.end();
  await once(w, 'finish');
  const t = createWriteStream(truthPath);
  for (const [ref, entity] of g.truth)
    if (!t.write(`${JSON.stringify({ ref, entity })}\n`)) await once(t, 'drain');
  t.end();
  await once(t, 'finish');
}

if (require.main === module) {
  const people = Number(arg('people', '10000'));
  const seed = Number(arg('seed', '1'));
  const locale = arg('locale', 'cn') === 'western' ? 'western' : 'cn';
  const out = arg('out', 'records.jsonl') ?? 'records.jsonl';
  const truth = arg('truth', 'truth.jsonl') ?? 'truth.jsonl';
  const g = generate({ people, seed, locale });
  writeGenerated(g, out, truth)
    .then(() =>
      process.stderr.write(
        `generated ${g.records.length} records for ${g.entities} entities -> ${out}, ${truth}\n`,
      ),
    )
    .catch((err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
}
