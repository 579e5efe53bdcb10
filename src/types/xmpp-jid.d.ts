// Types for @xmpp/jid 0.14, which ships none.
declare module '@xmpp/jid' {
  export class JID {
    constructor(local: string | null | undefined, domain: string, resource?: string | null);
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    equals(other: JID): boolean;
    getLocal(unescape?: boolean): string;
    getDomain(): string;
    getResource(): string;
    toString(unescape?: boolean): string;
  }
  export function jid(address: string): JID;
  export function parse(address: string): JID;
  export default jid;
}
