// Which rows of a long list to draw: those in the part scrolled to, and a few
// beyond it so that a fast scroll shows no gap. Every row is as tall as the
// others, so the rows follow from the scroll position alone, with no layout read.

export interface RowWindow {
  /** The first row drawn. */
  first: number;
  /** One past the last row drawn. */
  last: number;
}

export interface WindowOf {
  /** Rows in the whole list. */
  count: number;
  /** From the top of one row to the top of the next. */
  rowPx: number;
  /** How far the list is scrolled. */
  scrollTop: number;
  /** How tall the part that shows is. */
  viewportPx: number;
  /** Rows drawn beyond those that show, on either side. */
  overscan: number;
}

export function rowWindow({ count, rowPx, scrollTop, viewportPx, overscan }: WindowOf): RowWindow {
  if (count <= 0 || rowPx <= 0) return { first: 0, last: Math.max(0, count) };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count, Math.max(0, Math.floor(top / rowPx) - overscan));
  const last = Math.min(count, Math.ceil((top + Math.max(0, viewportPx)) / rowPx) + overscan);
  return { first, last: Math.max(first, last) };
}

export const sameWindow = (a: RowWindow, b: RowWindow) => a.first === b.first && a.last === b.last;
