import { fitWithHash, keyAliasName, parameterStem, repositoryName, sanitizeSegment, shortHash } from '../../../handler/src/props/rules';

describe('repositoryName', () => {
  it.each([
    ['lowercases every part', 'acme', 'Shop', 'Orders', 'acme-shop-orders'],
    ['replaces characters ECR does not accept with a hyphen', 'acme', 'shop@home', 'orders api/v2', 'acme-shop-home-orders-api-v2'],
    ['keeps a run of one separator kind as one of that kind', 'acme', 'shop', 'orders__api..v2', 'acme-shop-orders_api.v2'],
    ['turns a mixed run of separators into one hyphen', 'acme', 'shop', 'orders._-api', 'acme-shop-orders-api'],
    ['collapses the hyphens left by replaced characters', 'acme', 'shop', 'orders !! api', 'acme-shop-orders-api'],
    ['trims separators at both ends of each part', 'acme', '--shop--', '.orders_', 'acme-shop-orders'],
    ['turns non-latin letters into separators', 'acme', 'café', 'naïve', 'acme-caf-na-ve'],
  ])('%s', (_rule, prefix, application, base, expected) => {
    expect(repositoryName(prefix, application, base)).toBe(expected);
  });

  it('cuts a long name to 256 characters ending with a hash of the whole name when it is too long', () => {
    // GIVEN parts whose joined name is 5 + 256 + 1 + 256 characters
    const application = 'a'.repeat(256);
    const base = 'b'.repeat(256);

    // WHEN the name is made
    const name = repositoryName('acme', application, base);

    // THEN it is 256 characters: the beginning, a hyphen and 10 characters of hash
    const joined = `acme-${application}-${base}`;
    expect(name).toHaveLength(256);
    expect(name).toBe(`${joined.slice(0, 245)}-${shortHash(joined)}`);
    expect(name).toMatch(/-[0-9a-z]{10}$/);
  });

  it('returns the same name for the same long input when asked twice (stable hash)', () => {
    const first = repositoryName('acme', 'x'.repeat(200), 'y'.repeat(200));
    expect(repositoryName('acme', 'x'.repeat(200), 'y'.repeat(200))).toBe(first);
  });

  it('returns different names for long inputs that differ only after the cut', () => {
    const common = 'orders-'.repeat(40);
    expect(repositoryName('acme', 'shop', `${common}one`)).not.toBe(repositoryName('acme', 'shop', `${common}two`));
  });

  it('trims a separator left at the cut before the hash', () => {
    // The cut (at 245 characters) falls right after a separator.
    const name = fitWithHash(`${'a'.repeat(244)}.${'b'.repeat(40)}`, 256);
    expect(name).toMatch(/^a{244}-[0-9a-z]{10}$/);
  });

  it('keeps a name that fits when it is exactly 256 characters', () => {
    const name = `a${'b'.repeat(255)}`;
    expect(fitWithHash(name, 256)).toBe(name);
  });
});

describe('sanitizeSegment', () => {
  it('returns an empty string when nothing usable is left', () => {
    expect(sanitizeSegment('!!! ___ ...')).toBe('');
  });
});

describe('keyAliasName', () => {
  it('names the alias after the repository when the name is valid for KMS', () => {
    expect(keyAliasName('acme-shop-orders_api')).toBe('alias/acme-shop-orders_api');
  });

  it('replaces dots and appends a hash of the real name when the name has dots', () => {
    const alias = keyAliasName('acme-shop-orders.api');
    expect(alias).toBe(`alias/acme-shop-orders_api-${shortHash('acme-shop-orders.api')}`);
    expect(alias).not.toBe(keyAliasName('acme-shop-orders_api'));
  });

  it('cuts the alias to 256 characters when the repository name is at its longest', () => {
    const alias = keyAliasName(`a${'.b'.repeat(127)}b`);
    expect(alias.length).toBeLessThanOrEqual(256);
    expect(alias).toMatch(/^alias\/[a-zA-Z0-9:/_-]+$/);
  });
});

describe('parameterStem', () => {
  it.each([
    ['orders-api', 'ECR_ORDERS_API'],
    ['Orders.Api v2', 'ECR_ORDERS_API_V2'],
    ['orders_api', 'ECR_ORDERS_API'],
    ['café', 'ECR_CAF_'],
  ])('uppercases %p and turns everything outside A-Z and 0-9 into _', (base, stem) => {
    expect(parameterStem(base)).toBe(stem);
  });
});
