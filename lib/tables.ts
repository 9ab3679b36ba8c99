type Cell = string | number;

/** Columns a table may use: the terminal's, or 100 when the output is a file or a pipe. */
export function outputWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 100;
}

const MIN_TEXT = 6;
const MAX_WORD = 20;
const lines = (cell: Cell | undefined) => String(cell ?? "").split("\n");

/**
 * Text widths per column that fit `maxWidth` with borders and padding: every column as wide as
 * its widest line, then the widest column narrowed one character at a time until the table fits.
 */
function fitColumns(
  head: readonly string[],
  rows: readonly Cell[][],
  maxWidth: number,
  whole: readonly number[] = [],
): number[] {
  const widths = head.map((title, column) =>
    Math.max(title.length, ...rows.flatMap((row) => lines(row[column]).map((line) => line.length))),
  );
  // Text wraps between words; a word is cut only when it is longer than MAX_WORD (an ARN, a URL).
  const longestWord = (text: Cell | undefined) =>
    Math.max(
      ...String(text ?? "")
        .split(/[\s]+/)
        .map((word) => Math.min(word.length, MAX_WORD)),
    );
  const floors = head.map((title, column) =>
    whole.includes(column)
      ? widths[column]
      : Math.max(MIN_TEXT, longestWord(title), ...rows.map((row) => longestWord(row[column]))),
  );
  const frame = 3 * head.length + 1; // "│ " before each column, " " after, and the last "│"
  while (widths.reduce((sum, width) => sum + width, frame) > maxWidth) {
    const narrowable = widths.map((width, column) => (width > floors[column] ? width : 0));
    const widest = narrowable.lastIndexOf(Math.max(...narrowable));
    if (narrowable[widest] === 0) break; // as narrow as it gets: the terminal is too small
    widths[widest] -= 1;
  }
  return widths;
}

/** A sentence of a report, wrapped to the terminal as the tables are. */
export const paragraph = (text: string): string => wrapText(text, outputWidth());

/** Wraps text at spaces to `width`, cutting a word longer than a line (an ARN, a URL) where it must. */
export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((paragraph) => {
      const wrapped: string[] = [];
      let line = "";
      for (const word of paragraph.split(" ")) {
        if (line && line.length + 1 + word.length > width) {
          wrapped.push(line);
          line = "";
        }
        let rest = word;
        for (; rest.length > width; rest = rest.slice(width)) wrapped.push(rest.slice(0, width));
        line = line ? `${line} ${rest}` : rest;
      }
      return [...wrapped, line];
    })
    .join("\n");
}

/**
 * A boxed table that fits the terminal (or 100 columns when piped), long cells wrapped, never
 * cut; headings bold only on a terminal, so piped output stays plain text. Drawn here rather than
 * with the cli-table3 package, whose layout pass is quadratic in rows: 5 of the 7.5 seconds of a 10,000-account
 * plan went to it.
 */
export function renderTable(
  head: string[],
  rows: Cell[][],
  maxWidth = outputWidth(),
  /** Columns never wrapped, such as an ID a person copies. */
  whole: readonly number[] = [],
): string {
  const widths = fitColumns(head, rows, maxWidth, whole);
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => "─".repeat(width + 2)).join(middle)}${right}`;
  const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text);
  const line = (cells: Cell[], style: (text: string) => string = (text) => text) => {
    const wrapped = cells.map((cell, column) => wrapText(String(cell ?? ""), widths[column]).split("\n"));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from(
      { length: height },
      (_, index) =>
        `│${wrapped.map((lines, column) => ` ${style((lines[index] ?? "").padEnd(widths[column]))} `).join("│")}│`,
    );
  };
  return [
    rule("┌", "┬", "┐"),
    ...line(head, bold),
    rule("├", "┼", "┤"),
    ...rows.flatMap((row) => line(row)),
    rule("└", "┴", "┘"),
  ].join("\n");
}
