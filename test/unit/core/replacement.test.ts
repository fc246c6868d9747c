import { isReplacement } from '../../../handler/src/core/desired';

const parts = (applicationName: string, baseName: string) => ({ applicationName, baseName });

describe('isReplacement', () => {
  it.each([
    ['nothing in the names changed', 'acme-shop-orders-api', parts('shop', 'orders-api'), parts('shop', 'orders-api'), 'acme', false],
    ['the base name changed', 'acme-shop-orders-api', parts('shop', 'orders-v2'), parts('shop', 'orders-api'), 'acme', true],
    ['only ORG_PREFIX changed since the repository was made', 'acme-shop-orders-api', parts('shop', 'orders-api'), parts('shop', 'orders-api'), 'corp', false],
    ['a refused name change is rolled back (old properties name another repository)', 'acme-billing-orders-api', parts('Billing', 'orders-api'), parts('shop', 'orders-api'), 'acme', false],
    ['the same after an ORG_PREFIX change', 'acme-billing-orders-api', parts('Billing', 'orders-api'), parts('shop', 'orders-api'), 'corp', false],
    ['a replacement after an ORG_PREFIX change is rolled back', 'corp-shop-orders-api-v2', parts('shop', 'orders-api'), parts('shop', 'orders-api-v2'), 'corp', true],
    ['the application changes to a split that spells the same name', 'acme-shop-orders-api-v2', parts('orders', 'api-v2'), parts('shop', 'orders-api-v2'), 'acme', true],
    ['the old properties do not parse and the new ones name the repository', 'acme-shop-orders-api', parts('shop', 'orders-api'), undefined, 'corp', false],
  ])('decides when %s', (_case, physicalId, spec, previous, prefix, expected) => {
    expect(isReplacement(physicalId, spec, previous, prefix)).toBe(expected);
  });
});
