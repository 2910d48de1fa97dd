import { describe, expect, it } from 'vitest';
import { parseDirectory } from './directory.js';

const base = { newNonce: 'https://ca/n', newAccount: 'https://ca/a', newOrder: 'https://ca/o' };

describe('parseDirectory', () => {
  it('reads profiles, renewalInfo, terms and the EAB requirement', () => {
    const { info, urls } = parseDirectory(
      {
        ...base,
        renewalInfo: 'https://ari.ca/r',
        meta: {
          profiles: { classic: 'default', tlsserver: 'short' },
          termsOfService: 'https://ca/tos',
          externalAccountRequired: true,
        },
      },
      'https://ca/dir',
    );
    expect(info).toEqual({
      url: 'https://ca/dir',
      profiles: { classic: 'default', tlsserver: 'short' },
      renewalInfo: 'https://ari.ca/r',
      termsOfService: 'https://ca/tos',
      externalAccountRequired: true,
    });
    expect(urls).toContain('https://ari.ca/r');
  });

  it('has no profiles and no renewalInfo when the CA advertises none', () => {
    expect(parseDirectory(base, 'https://ca/dir').info).toEqual({
      url: 'https://ca/dir',
      profiles: {},
      externalAccountRequired: false,
    });
  });

  it('refuses a directory without newOrder', () => {
    expect(() => parseDirectory({ newNonce: 'x', newAccount: 'y' }, 'https://ca/dir')).toThrow(/"newOrder" is missing/);
  });
});
