import { describe, expect, it } from 'vitest';
import { formatUsd, formatUsdCompact } from './format.js';

describe('formatUsd', () => {
  it('writes cents for ordinary amounts', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(10)).toBe('$10.00');
    expect(formatUsd(0.045)).toBe('$0.04');
    expect(formatUsd(1234.5)).toBe('$1234.50');
  });

  it('writes two significant digits below a cent, in full and without float noise', () => {
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0.0000032000000000000003)).toBe('$0.0000032');
    expect(formatUsd(0.0000050999999999999995)).toBe('$0.0000051');
    expect(formatUsd(2.0000000000000002e-7)).toBe('$0.0000002');
    expect(formatUsd(1e-7)).not.toContain('e');
  });

  it('puts the sign before the dollar', () => {
    expect(formatUsd(-1.5)).toBe('-$1.50');
    expect(formatUsd(-0.000012)).toBe('-$0.000012');
  });
});

describe('formatUsdCompact', () => {
  it('drops trailing zeros and shortens large amounts', () => {
    expect(formatUsdCompact(0)).toBe('$0');
    expect(formatUsdCompact(0.5)).toBe('$0.5');
    expect(formatUsdCompact(12.25)).toBe('$12.25');
    expect(formatUsdCompact(1500)).toBe('$1.5k');
    expect(formatUsdCompact(2_500_000)).toBe('$2.5M');
  });

  it('keeps two significant digits below a cent', () => {
    expect(formatUsdCompact(0.00015)).toBe('$0.00015');
    expect(formatUsdCompact(0.000020000000000000002)).toBe('$0.00002');
    expect(formatUsdCompact(0.0000123)).toBe('$0.000012');
  });
});
