import {
  compareLatinTokens,
  compareTokens,
  isTypo,
  osaWithin2,
  RARE_SPELLING_RATIO,
  rareSpelling,
  TOKEN_EXACT,
  TOKEN_INITIAL,
  TOKEN_NEAR,
  TOKEN_NICKNAME,
  TOKEN_NONE,
  TOKEN_TYPO,
} from './name-compare';
import { latinTokens } from './normalize/name';

const level = (a: string, b: string): string => compareLatinTokens(latinTokens(a), latinTokens(b));

describe('isTypo: one keying error that does not make another name', () => {
  it.each([
    ['james', 'jmaes'], // transposition
    ['smith', 'smtih'],
    ['mary', 'mray'],
    ['james', 'jams'], // a letter dropped inside the word
    ['joyce', 'joye'],
    ['bennett', 'benett'],
    ['martinez', 'martsnez'], // a substitution inside a long token
    ['debra', 'dqbra'],
  ])('%s / %s is a typo', (a, b) => {
    expect(isTypo(a, b)).toBe(true);
    expect(isTypo(b, a)).toBe(true);
  });

  it.each([
    ['john', 'joan'], // substitution in a short token: another name
    ['jon', 'joan'], // short token
    ['carl', 'carla'], // last letter: gendered variants
    ['louis', 'louise'],
    ['maria', 'marie'],
    ['dan', 'jan'], // first letter
    ['mark', 'mike'], // two edits
    ['amy', 'may'], // transposition of the first letters of a short name
    ['smith', 'smith'], // no edit at all
  ])('%s / %s is not a typo', (a, b) => {
    expect(isTypo(a, b)).toBe(false);
    expect(isTypo(b, a)).toBe(false);
  });
});

describe('osaWithin2', () => {
  it('counts edits and transpositions up to two', () => {
    expect(osaWithin2('smith', 'smith')).toBe(0);
    expect(osaWithin2('smith', 'smtih')).toBe(1);
    expect(osaWithin2('elizabth', 'eilzabeth')).toBe(2);
    expect(osaWithin2('john', 'mary')).toBe(3);
    expect(osaWithin2('ab', 'abcdef')).toBe(3);
  });
});

describe('compareTokens', () => {
  it('grades token pairs from exact to none', () => {
    expect(compareTokens('smith', 'smith')).toBe(TOKEN_EXACT);
    expect(compareTokens('bob', 'robert')).toBe(TOKEN_NICKNAME);
    expect(compareTokens('chris', 'christine')).toBe(TOKEN_NICKNAME);
    expect(compareTokens('chris', 'christopher')).toBe(TOKEN_NICKNAME);
    expect(compareTokens('smith', 'smtih')).toBe(TOKEN_TYPO);
    expect(compareTokens('lisa', 'lsa')).toBe(TOKEN_NEAR);
    expect(compareTokens('elizabth', 'eilzabeth')).toBe(TOKEN_NEAR);
    expect(compareTokens('m', 'maria')).toBe(TOKEN_INITIAL);
    expect(compareTokens('john', 'mark')).toBe(TOKEN_NONE);
    expect(compareTokens('christopher', 'christine')).toBe(TOKEN_NONE);
  });
});

describe('compareLatinTokens: name comparison levels', () => {
  it('exact: the same tokens in any order, case, punctuation', () => {
    expect(level('John Smith', 'SMITH, John')).toBe('exact');
  });

  it('nickname: a hypocorism of the given name', () => {
    expect(level('Bob Smith', 'Robert Smith')).toBe('nickname');
    expect(level('Smith, Bill', 'William Smith')).toBe('nickname');
  });

  it('partial: a middle name or initial left out', () => {
    expect(level('John Michael Smith', 'Smith John')).toBe('partial');
    expect(level('John M. Smith', 'John Smith')).toBe('partial');
    expect(level('John M. Smith', 'John Michael Smith')).toBe('partial');
    expect(level('Bob M. Smith', 'Robert Smith')).toBe('partial');
  });

  it('typo: one or two keying errors, with or without a middle name or a nickname', () => {
    expect(level('Jonathan G. Martsnez', 'Jonathan Martinez')).toBe('typo');
    expect(level('Rob Andeson', 'Robert Anderson')).toBe('typo');
    expect(level('Kneneth Smith', 'Kenneth Smtih')).toBe('typo');
  });

  it('fuzzy: a short near spelling, two errors in one token, an initial for the given name', () => {
    expect(level('Lsa Williams', 'Lisa Williams')).toBe('fuzzy');
    expect(level('Elizabth Cooper', 'Eilzabeth Cooper')).toBe('fuzzy');
    expect(level('J. Smith', 'John Smith')).toBe('fuzzy');
  });

  it('different: another given name or surname, or one token in common only', () => {
    expect(level('John Smith', 'Mary Smith')).toBe('different'); // twins, household
    // near spellings that may be two names stay below the levels that count shared contact data
    expect(level('John Smith', 'Joan Smith')).toBe('fuzzy');
    expect(level('Carl Smith', 'Carla Smith')).toBe('fuzzy');
    expect(level('Ella Smith', 'Emma Smith')).toBe('different');
    expect(level('John Smith', 'John Jones')).toBe('different');
    expect(level('Smith', 'John Smith')).toBe('different');
  });
});

describe('rare spellings: a one-edit token nobody else bears is a keying error', () => {
  /** Token counts as a resolver would have seen them. */
  const seen = (counts: Record<string, number>) => ({ token: (t: string) => counts[t] ?? 0 });
  const tokens = seen({ john: 1100, joan: 140, jyhn: 1, reed: 60, rzed: 1, wan: 3, wang: 40 });

  it('a token many times rarer than its neighbour is a typo of it, in either order', () => {
    expect(rareSpelling('jyhn', 'john', tokens)).toBe(true);
    expect(rareSpelling('john', 'jyhn', tokens)).toBe(true);
    expect(compareTokens('jyhn', 'john', tokens)).toBe(TOKEN_TYPO);
    expect(compareTokens('rzed', 'reed', tokens)).toBe(TOKEN_TYPO);
    expect(level('Jyhn Scott', 'John Scott')).toBe('fuzzy'); // without counts: near
    expect(compareLatinTokens(latinTokens('Jyhn Scott'), latinTokens('John Scott'), tokens)).toBe(
      'typo',
    );
  });

  it('two names both borne by many stay near: john / joan', () => {
    expect(rareSpelling('joan', 'john', tokens)).toBe(false);
    expect(compareTokens('joan', 'john', tokens)).toBe(TOKEN_NEAR);
    expect(compareLatinTokens(latinTokens('Joan Smith'), latinTokens('John Smith'), tokens)).toBe(
      'fuzzy',
    );
  });

  it('needs the common token seen often enough to tell: a small data set keeps the near level', () => {
    // wang is 13 times as common as wan, but seen only 40 times
    expect(rareSpelling('wan', 'wang', tokens)).toBe(false);
    const few = seen({ reed: RARE_SPELLING_RATIO - 1 });
    expect(compareTokens('rzed', 'reed', few)).toBe(TOKEN_NEAR);
    const enough = seen({ reed: RARE_SPELLING_RATIO, rzed: 1 });
    expect(compareTokens('rzed', 'reed', enough)).toBe(TOKEN_TYPO);
    // the rule reads only near spellings: other names stay apart whatever their counts
    expect(compareTokens('mary', 'john', seen({ john: 5000, mary: 1 }))).toBe(TOKEN_NONE);
  });
});
