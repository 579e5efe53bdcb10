// XEP-0339: Source-Specific Media Attributes in Jingle, version 1.0.1.
import { badRequest } from './errors.ts';
import { type Field, PARAMETER_FIELDS, readFields, readParameters, text, uint32, writeFields } from './fields.ts';
import { NS } from './namespaces.ts';
import type { Source, SourceGroup } from './model.ts';
import { type Element, xml } from './xml.ts';

const SOURCE_FIELDS: readonly Field<Source>[] = [{ attr: 'ssrc', key: 'ssrc', type: uint32, required: true }];

export function readSources(description: Element): { sources: Source[]; sourceGroups: SourceGroup[] } {
  const sources = description.getChildren('source', NS.ssma).map((el) => {
    const { ssrc } = readFields(el, SOURCE_FIELDS) as Source;
    return { ssrc, parameters: readParameters(el) };
  });
  const sourceGroups = description.getChildren('ssrc-group', NS.ssma).map((el) => {
    const { semantics } = readFields<SourceGroup>(el, [{ attr: 'semantics', key: 'semantics', type: text, required: true }]);
    if (!semantics) throw badRequest('<ssrc-group/> lacks semantics');
    return {
      semantics,
      sources: el.getChildren('source').map((s) => (readFields(s, SOURCE_FIELDS) as Source).ssrc),
    };
  });
  return { sources, sourceGroups };
}

export function sourceElements(sources: readonly Source[], groups: readonly SourceGroup[]): Element[] {
  return [
    ...sources.map((source) =>
      xml(
        'source',
        { xmlns: NS.ssma, ssrc: source.ssrc },
        source.parameters.map((p) => xml('parameter', writeFields(p, PARAMETER_FIELDS))),
      ),
    ),
    ...groups.map((group) =>
      xml(
        'ssrc-group',
        { xmlns: NS.ssma, semantics: group.semantics },
        group.sources.map((ssrc) => xml('source', { ssrc })),
      ),
    ),
  ];
}
