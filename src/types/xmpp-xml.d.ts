// Types for @xmpp/xml 0.14 (ltx elements), which ships none. Only what the project uses.
declare module '@xmpp/xml' {
  export type Node = Element | string;
  export type Attrs = Record<string, string | number | null | undefined>;
  type Child = Node | null | undefined | false | Child[];

  export class Element {
    constructor(name: string, attrs?: Attrs);
    name: string;
    attrs: Record<string, string>;
    children: Node[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getName(): string;
    getNS(): string | undefined;
    getAttr(name: string): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    append(...nodes: Node[]): this;
    c(name: string, attrs?: Attrs): Element;
    up(): Element;
    root(): Element;
    toString(): string;
  }

  export class Parser {
    constructor();
    on(event: 'start' | 'element' | 'end', listener: (el: Element) => void): void;
    on(event: 'error', listener: (err: Error) => void): void;
    write(data: string): void;
    end(data?: string): void;
  }

  export function xml(name: string, attrs?: Attrs | null, ...children: Child[]): Element;
  export default xml;
}
