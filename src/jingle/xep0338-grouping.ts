// XEP-0338: Jingle Grouping Framework, version 1.0.0.
import { badRequest } from './errors.ts';
import type { Group } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';

export function readGroups(jingle: Element): Group[] {
  return jingle.getChildren('group', NS.grouping).map((el) => {
    const semantics = (el.attrs.semantics ?? el.attrs.type ?? '').trim();
    if (!semantics) throw badRequest('<group/> lacks semantics');
    const contents = el.getChildren('content').map((c) => (c.attrs.name ?? '').trim());
    if (contents.some((name) => !name)) throw badRequest('<group/> names a content without a name');
    return { semantics, contents };
  });
}

export function groupElements(groups: readonly Group[]): Element[] {
  return groups.map((g) =>
    xml(
      'group',
      { xmlns: NS.grouping, semantics: g.semantics },
      g.contents.map((name) => xml('content', { name })),
    ),
  );
}
