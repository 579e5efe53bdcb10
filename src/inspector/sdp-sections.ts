// SDP cut at its m= lines, for showing beside a stanza: the session part, then
// each media section with its mid. Display only, so plain lines suffice here;
// what is translated goes through sdp-transform (src/sdp/).

export interface SdpSections {
  session: string[];
  media: { mid?: string; media: string; lines: string[] }[];
}

export function sdpSections(sdp: string): SdpSections {
  const result: SdpSections = { session: [], media: [] };
  let current: SdpSections['media'][number] | undefined;
  for (const line of sdp.split(/\r?\n/).filter((l) => l.length)) {
    if (line.startsWith('m=')) {
      current = { media: line.slice(2).split(' ')[0] ?? '', lines: [line] };
      result.media.push(current);
      continue;
    }
    // A candidate fragment: its a=mid: opens a section of its own.
    if (line.startsWith('a=mid:') && (!current || current.mid !== undefined) && !result.session.some((l) => l.startsWith('v='))) {
      current = { mid: line.slice(6), media: '', lines: [line] };
      result.media.push(current);
      continue;
    }
    if (!current) {
      result.session.push(line);
      continue;
    }
    if (line.startsWith('a=mid:')) current.mid = line.slice(6);
    current.lines.push(line);
  }
  return result;
}

/** The m-section of a Jingle content: the one whose mid is its name, else the one at its place. */
export function contentSectionIndex(sections: SdpSections, contentName: string, contentIndex: number): number | undefined {
  const byMid = sections.media.findIndex((m) => m.mid === contentName);
  if (byMid >= 0) return byMid;
  return contentIndex < sections.media.length ? contentIndex : undefined;
}
