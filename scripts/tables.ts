import Table from "cli-table3";

/** A compact table; colored headings only on a terminal, so piped output stays plain text. */
export function newTable(head: string[]): Table.Table {
  return new Table({
    head,
    style: { head: process.stdout.isTTY ? ["bold"] : [], border: [], compact: true },
  });
}
