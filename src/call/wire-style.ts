// How this app behaves on the wire, so it can stand in for the clients it
// meets (PROTOCOL.md): the test of another client's Jingle stack often needs
// a peer that does what that client's usual peers do.

export interface WireStyle {
  /** Group the contents with XEP-0338 BUNDLE. Dino never does. */
  bundle: boolean;
  /**
   * `trickle`: candidates follow in transport-info, one each (Conversations).
   * `inline`: they are gathered first and sent inside session-initiate or
   * session-accept (Dino).
   */
  candidates: 'trickle' | 'inline';
}

export const WIRE_STYLES = {
  standard: { label: 'Jingle Lab (BUNDLE, trickle)', style: { bundle: true, candidates: 'trickle' } },
  'no-bundle': { label: 'No BUNDLE, trickle', style: { bundle: false, candidates: 'trickle' } },
  inline: { label: 'Candidates inline (BUNDLE)', style: { bundle: true, candidates: 'inline' } },
  dino: { label: 'Like Dino (no BUNDLE, candidates inline)', style: { bundle: false, candidates: 'inline' } },
} as const satisfies Record<string, { label: string; style: WireStyle }>;

export type WireStyleName = keyof typeof WIRE_STYLES;

export const DEFAULT_WIRE_STYLE: WireStyle = WIRE_STYLES.standard.style;

/** How long to wait for gathering before sending inline candidates anyway. */
export const INLINE_GATHER_LIMIT_MS = 3000;
