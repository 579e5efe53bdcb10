// The pure Jingle protocol layer.
export * from './errors.ts';
export * from './model.ts';
export { NS } from './namespaces.ts';
export { jingleElement, readJingle, MAX_CANDIDATES, MAX_CONTENTS } from './xep0166-jingle.ts';
export { parseXml, xml, type Element } from './xml.ts';
export { jingleMessageElement, readJingleMessage, type JingleMessage, type JingleMessageKind } from './xep0353-jingle-message.ts';
