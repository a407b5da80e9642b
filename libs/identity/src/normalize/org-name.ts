import { stripDiacritics, toHalfWidth, toSimplified } from './text';

/** Provinces, autonomous regions and major cities: an organisation name may carry them or not. */
export const PLACE_NAMES = (
  '北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 ' +
  '内蒙古 广西 西藏 宁夏 新疆 香港 澳门 石家庄 太原 沈阳 大连 长春 哈尔滨 南京 苏州 无锡 杭州 宁波 温州 合肥 福州 厦门 南昌 济南 青岛 ' +
  '郑州 武汉 长沙 广州 深圳 珠海 东莞 佛山 南宁 海口 成都 贵阳 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 常州 徐州 烟台 唐山 中山'
).split(' ');
const PLACE_RE = new RegExp(
  `(${PLACE_NAMES.sort((a, b) => b.length - a.length).join('|')})(省|市|自治区|维吾尔自治区|壮族自治区|回族自治区|特别行政区)?`,
  'g',
);
/** The first place name of a text (not global: no `lastIndex` state between calls). */
const FIRST_PLACE = new RegExp(PLACE_RE.source);
/**
 * Place names as the one string each: an organisation's city is compared with the city of every
 * candidate, and two references to one string compare without reading either.
 */
const PLACE_STRINGS = new Map(PLACE_NAMES.map((p) => [p, p]));
const HAN_LEGAL_FORMS = /(股份有限公司|有限责任公司|有限公司|股份公司|责任公司|公司)$/;
const LATIN_LEGAL_FORMS = new Set([
  'co',
  'company',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'plc',
  'gmbh',
  'sa',
  'ag',
  'bv',
  'llp',
  'lp',
  'the',
]);

export interface OrgName {
  /** The name with brackets, spaces and width noise removed (simplified). */
  full: string;
  /** The distinctive core: place names and legal form removed. */
  core: string;
  /** The first place name the name carries (prefix or bracketed), if any. */
  city: string | null;
}

/**
 * Normalises an organisation name: traditional -> simplified, full-/half-width brackets dropped,
 * province/city names removed wherever they stand (prefix or bracketed), legal forms
 * (有限公司 / 有限责任公司 / 股份有限公司, Co., Ltd., Inc., ...) removed from the core.
 */
export function normalizeOrgName(raw: string | null | undefined): OrgName | null {
  if (!raw?.trim()) return null;
  const text = toSimplified(toHalfWidth(raw)).toLowerCase();
  const full = text.replace(/[\s()[\]{}<>【】〔〕《》「」,.&'"·、-]/g, '');
  if (!full) return null;
  let core: string;
  let city: string | null = null;
  if (/[\u3400-\u9fff]/.test(full)) {
    const place = FIRST_PLACE.exec(full);
    city = place ? (PLACE_STRINGS.get(place[1]) ?? place[1]) : null;
    core = full.replace(HAN_LEGAL_FORMS, '').replace(PLACE_RE, '');
    core = core.replace(HAN_LEGAL_FORMS, '');
  } else {
    const tokens = stripDiacritics(text)
      .replace(/[^a-z0-9\s]/g, ' ')
      .split(/\s+/)
      .filter((t) => t && !LATIN_LEGAL_FORMS.has(t));
    core = tokens.join(' ');
  }
  return { full, core: core || full, city };
}
