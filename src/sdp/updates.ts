// XEP-0166 §7.2 partial updates: how each action changes a description.
// Pure: the session keeps the model, this says what it becomes.
import { type Content, type Group, type Jingle, badRequest } from '../jingle/index.ts';
import type { DescriptionModel } from './from-jingle.ts';

const names = (contents: readonly { name: string }[]) => contents.map((c) => c.name);

function requireKnown(model: DescriptionModel, jingle: Jingle): void {
  const known = new Set(names(model.contents));
  const unknown = jingle.contents.find((c) => !known.has(c.name));
  if (unknown) throw badRequest(`${jingle.action} names an unknown content "${unknown.name}"`);
}

function withRemoved(model: DescriptionModel, gone: readonly string[]): DescriptionModel {
  return { ...model, removed: [...new Set([...(model.removed ?? []), ...gone])] };
}

/** Whether a content's transport says its ICE credentials and DTLS fingerprint. */
export const hasCredentials = (content: Content): boolean =>
  Boolean(content.transport?.ufrag && content.transport.pwd && content.transport.fingerprints.length);

/**
 * Contents of a content-add or content-accept that join a BUNDLE group take
 * the credentials and fingerprint of the transport they share, when they do
 * not say them: Conversations sends an empty `<transport/>` there, since a
 * bundled m-line has no transport of its own (RFC 8843 §7.1).
 */
export function withBundledTransports(model: DescriptionModel, contents: readonly Content[], groups: readonly Group[]): Content[] {
  const bundles = [...groups, ...model.groups].filter((g) => g.semantics === 'BUNDLE');
  return contents.map((content) => {
    if (hasCredentials(content)) return content;
    const group = bundles.find((g) => g.contents.includes(content.name));
    const shared = model.contents.find((c) => group?.contents.includes(c.name) && !model.removed?.includes(c.name) && hasCredentials(c))?.transport;
    if (!shared) return content;
    return { ...content, transport: { ufrag: shared.ufrag, pwd: shared.pwd, fingerprints: shared.fingerprints, candidates: content.transport?.candidates ?? [] } };
  });
}

/** Whether a transport-info carries new ICE credentials for a content (an ICE restart). */
export function isIceRestart(model: DescriptionModel, update: Content): boolean {
  const current = model.contents.find((c) => c.name === update.name)?.transport;
  const next = update.transport;
  return Boolean(next?.ufrag && current?.ufrag && next.ufrag !== current.ufrag);
}

/** The description after a content-* or transport-info action; unknown names are a bad-request. */
export function applyUpdate(model: DescriptionModel, jingle: Jingle): DescriptionModel {
  switch (jingle.action) {
    case 'content-add': {
      const existing = new Set(names(model.contents));
      const clash = jingle.contents.find((c) => existing.has(c.name) && !model.removed?.includes(c.name));
      if (clash) throw badRequest(`content-add of an existing content "${clash.name}"`);
      if (jingle.contents.some((c) => !c.description)) throw badRequest('content-add without a description');
      const added = new Set(names(jingle.contents));
      return {
        contents: [...model.contents.filter((c) => !added.has(c.name)), ...jingle.contents],
        groups: jingle.groups.length ? jingle.groups : model.groups,
        removed: (model.removed ?? []).filter((name) => !added.has(name)),
      };
    }
    case 'content-accept': {
      const accepted = new Map(jingle.contents.map((c) => [c.name, c]));
      const kept = model.contents.map((c) => accepted.get(c.name) ?? c);
      const fresh = jingle.contents.filter((c) => !model.contents.some((m) => m.name === c.name));
      return { ...model, contents: [...kept, ...fresh], groups: jingle.groups.length ? jingle.groups : model.groups };
    }
    case 'content-reject':
      return withRemoved(model, names(jingle.contents).filter((name) => model.contents.some((c) => c.name === name)));
    case 'content-remove':
      requireKnown(model, jingle);
      return withRemoved(model, names(jingle.contents));
    case 'content-modify': {
      requireKnown(model, jingle);
      const senders = new Map(jingle.contents.map((c) => [c.name, c.senders ?? 'both']));
      return { ...model, contents: model.contents.map((c) => (senders.has(c.name) ? { ...c, senders: senders.get(c.name)! } : c)) };
    }
    case 'transport-info': {
      requireKnown(model, jingle);
      const updates = new Map(jingle.contents.map((c) => [c.name, c]));
      return {
        ...model,
        contents: model.contents.map((content) => {
          const update = updates.get(content.name)?.transport;
          if (!update) return content;
          const current = content.transport ?? { fingerprints: [], candidates: [] };
          if (isIceRestart(model, updates.get(content.name)!)) {
            // XEP-0176 §7: new credentials restart ICE; the old candidates are gone.
            return { ...content, transport: { ...current, ufrag: update.ufrag, pwd: update.pwd, candidates: update.candidates } };
          }
          const seen = new Set(current.candidates.map((c) => `${c.foundation} ${c.component} ${c.ip} ${c.port} ${c.protocol}`));
          const fresh = update.candidates.filter((c) => !seen.has(`${c.foundation} ${c.component} ${c.ip} ${c.port} ${c.protocol}`));
          return { ...content, transport: { ...current, candidates: [...current.candidates, ...fresh] } };
        }),
      };
    }
    default:
      return model;
  }
}

export interface DescriptionChanges {
  /** Contents to offer with content-add. */
  added: Content[];
  /** Contents to take away with content-remove. */
  removed: string[];
  /** Contents whose senders changed, for content-modify. */
  modified: Content[];
}

/** What a renegotiated local description changed, as Jingle content actions. */
export function diffDescriptions(before: DescriptionModel, after: DescriptionModel): DescriptionChanges {
  const old = new Map(before.contents.map((c) => [c.name, c]));
  const wasRemoved = new Set(before.removed ?? []);
  const nowRemoved = new Set(after.removed ?? []);
  return {
    added: after.contents.filter((c) => (!old.has(c.name) || wasRemoved.has(c.name)) && !nowRemoved.has(c.name)),
    removed: [...nowRemoved].filter((name) => old.has(name) && !wasRemoved.has(name)),
    modified: after.contents.filter((c) => {
      const prior = old.get(c.name);
      return prior && !wasRemoved.has(c.name) && !nowRemoved.has(c.name) && (prior.senders ?? 'both') !== (c.senders ?? 'both');
    }),
  };
}
