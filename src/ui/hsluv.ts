// HSLuv (revision 4) to sRGB: the one conversion XEP-0392 needs. The math is
// public domain (hsluv.org); the npm package `hsluv` would replace this file.
// HSLuv is CIE LCh(uv) with the chroma scaled to the largest the sRGB gamut
// holds at that lightness and hue, so that saturation 100 is always in gamut.

export type Rgb = readonly [r: number, g: number, b: number];

/** XYZ (D65) to linear sRGB. */
const XYZ_TO_RGB = [
  [3.240969941904521, -1.537383177570093, -0.498610760293],
  [-0.96924363628087, 1.87596750150772, 0.041555057407175],
  [0.055630079696993, -0.20397695888897, 1.056971514242878],
] as const;
/** The D65 white point in CIE Luv's u′v′. */
const REF_U = 0.19783000664283;
const REF_V = 0.46831999493879;
/** CIE L* constants: κ = (29/3)³ and ε = (6/29)³. */
const KAPPA = 903.2962962;
const EPSILON = 0.0088564516;

/**
 * The six lines in the (u, v) chroma plane at lightness l where one sRGB
 * channel reaches 0 or 1: the edges of the gamut at that lightness.
 */
function gamutEdges(l: number): { slope: number; intercept: number }[] {
  const cubed = (l + 16) ** 3 / 1560896;
  const y = cubed > EPSILON ? cubed : l / KAPPA;
  return XYZ_TO_RGB.flatMap(([m1, m2, m3]) =>
    [0, 1].map((t) => {
      const top1 = (284517 * m1 - 94839 * m3) * y;
      const top2 = (838422 * m3 + 769860 * m2 + 731718 * m1) * l * y - 769860 * t * l;
      const bottom = (632260 * m3 - 126452 * m2) * y + 126452 * t;
      return { slope: top1 / bottom, intercept: top2 / bottom };
    }),
  );
}

/** The longest chroma from the grey axis, at this hue, before leaving the gamut. */
function maxChroma(l: number, hueRadians: number): number {
  let max = Infinity;
  for (const { slope, intercept } of gamutEdges(l)) {
    const length = intercept / (Math.sin(hueRadians) - slope * Math.cos(hueRadians));
    if (length >= 0) max = Math.min(max, length);
  }
  return max;
}

/** sRGB's transfer function: linear light to the encoded channel. */
const encode = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const clamp = (c: number) => Math.min(1, Math.max(0, c));

/** HSLuv (hue 0–360, saturation and lightness 0–100) to sRGB channels 0–1. */
export function hsluvToRgb(hue: number, saturation: number, lightness: number): Rgb {
  if (lightness >= 100 - 1e-7) return [1, 1, 1];
  if (lightness <= 1e-8) return [0, 0, 0];
  const h = (hue / 180) * Math.PI;
  const chroma = (maxChroma(lightness, h) / 100) * saturation;
  // LCh(uv) → Luv → XYZ.
  const u = chroma * Math.cos(h);
  const v = chroma * Math.sin(h);
  const up = u / (13 * lightness) + REF_U;
  const vp = v / (13 * lightness) + REF_V;
  const y = lightness <= 8 ? lightness / KAPPA : ((lightness + 16) / 116) ** 3;
  const x = -(9 * y * up) / ((up - 4) * vp - up * vp);
  const z = (9 * y - 15 * vp * y - vp * x) / (3 * vp);
  const [r, g, b] = XYZ_TO_RGB.map(([m1, m2, m3]) => clamp(encode(m1 * x + m2 * y + m3 * z)));
  return [r!, g!, b!];
}
