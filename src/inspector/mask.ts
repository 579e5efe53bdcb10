// "Hide IP addresses": every IPv4 and IPv6 address in a recording becomes a
// name (IPv4-1, IPv6-2, …), the same name for the same address wherever it
// appears, so the report still shows which candidate is which. 0.0.0.0 and ::
// say nothing of anyone and stay.

const IPV4 = /(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\w.]*\d)/g;
/** A run of hex groups and colons (and an IPv4 tail), checked as IPv6 below. */
const IPV6_RUN = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{0,4})(?:%[\w-]+)?(?![\w:]|\.\d)/gi;

function isIpv6(run: string): boolean {
  const text = run.replace(/%[\w.-]+$/, '');
  const v4 = /(\d{1,3}\.){3}\d{1,3}$/.test(text);
  const groups = text.split(':');
  const full = (v4 ? 6 : 8);
  if (text.includes('::')) {
    if (text.indexOf('::') !== text.lastIndexOf('::')) return false;
    return groups.filter(Boolean).length < full + (v4 ? 1 : 0);
  }
  // Without '::' it must be 8 groups of 1 to 4 hex digits (a fingerprint's groups are 2 digits, and more than 8).
  return groups.length === (v4 ? 7 : 8) && groups.slice(0, v4 ? 6 : 8).every((g) => /^[0-9a-f]{1,4}$/i.test(g)) && groups.some((g) => g.length !== 2);
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/** A masker keeps one name per address across everything it is given. */
export function createMasker(): (text: string) => string {
  const names = new Map<string, string>();
  const counts = { IPv4: 0, IPv6: 0 };
  const name = (address: string, family: 'IPv4' | 'IPv6') => {
    const key = address.toLowerCase();
    let known = names.get(key);
    if (!known) names.set(key, (known = `${family}-${++counts[family]}`));
    return known;
  };
  return (text) =>
    text
      .replace(IPV6_RUN, (run) => (isIpv6(run) && !UNSPECIFIED.has(run) ? name(run, 'IPv6') : run))
      .replace(IPV4, (address) => (UNSPECIFIED.has(address) ? address : name(address, 'IPv4')));
}

/** Masks every string of a value, deeply: one masker for the whole recording. */
export function maskDeep<T>(value: T, mask: (text: string) => string = createMasker()): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)])) as T;
  }
  return value;
}

export const maskRecording = <T>(recording: T): T => maskDeep(recording);
