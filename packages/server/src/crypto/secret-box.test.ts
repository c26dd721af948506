import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const box = new SecretBox('server-secret-0123456789abcdef0123456789', 'provider-credentials');
    const sealed = box.seal('sk-live-1234');
    expect(sealed).not.toContain('sk-live');
    expect(box.open(sealed)).toBe('sk-live-1234');
    expect(box.seal('sk-live-1234')).not.toBe(sealed);
  });

  it('refuses text sealed under another secret or altered', () => {
    const sealed = new SecretBox('server-secret-0123456789abcdef0123456789', 'provider-credentials').seal(
      'sk-live-1234',
    );
    expect(() =>
      new SecretBox('another-secret-0123456789abcdef012345678', 'provider-credentials').open(sealed),
    ).toThrow();
    const [version, iv, tag, body] = sealed.split('.');
    const altered = [version, iv, tag, `${body?.slice(0, -2)}AA`].join('.');
    expect(() =>
      new SecretBox('server-secret-0123456789abcdef0123456789', 'provider-credentials').open(altered),
    ).toThrow();
  });
});
