import Table from "cli-table3";

/**
 * A compact table; colored headings only on a terminal, so piped output stays plain text.
 * `widths` caps columns (undefined: as wide as needed) and wraps their text.
 */
export function newTable(head: string[], widths?: (number | undefined)[]): Table.Table {
  return new Table({
    head,
    style: { head: process.stdout.isTTY ? ["bold"] : [], border: [], compact: true },
    ...(widths ? { colWidths: widths as number[], wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
}
