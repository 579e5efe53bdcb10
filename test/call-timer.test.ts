// The call's running time, as the call screen shows it.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/ui/call-timer.ts';

describe('the call timer', () => {
  it('shows seconds under a minute as 0:ss', () => {
    expect(formatDuration(7_000)).toBe('0:07');
  });

  it('shows minutes and seconds', () => {
    expect(formatDuration((12 * 60 + 34) * 1000)).toBe('12:34');
  });

  it('shows hours once the call passes one', () => {
    expect(formatDuration((3600 + 2 * 60 + 3) * 1000)).toBe('1:02:03');
  });

  it('counts only whole seconds', () => {
    expect(formatDuration(59_999)).toBe('0:59');
  });

  it('shows a call that has not begun, or a clock that went back, as 0:00', () => {
    expect([formatDuration(0), formatDuration(-500), formatDuration(Number.NaN)]).toEqual(['0:00', '0:00', '0:00']);
  });
});
