import { readFileSync } from "node:fs";
import { UserError } from "./errors";

/**
 * A JSON file's content, or one message that names the file, what it was meant to be, and what
 * is wrong: a path that cannot be read (with the system's code, ENOENT for a typo) or text that
 * is not JSON.
 */
export function readJsonFile(
  path: string,
  what: string,
  hints: {
    unreadable?: string;
    /** A hint for text that is not JSON, given the text; none where it would not be the cause. */
    notJson?: (text: string) => string | undefined;
  } = {},
): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      `cannot read ${what} ${path} (${code})${hints.unreadable ? `: ${hints.unreadable}` : ""}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const hint = hints.notJson?.(text);
    throw new UserError(
      `${what} ${path} is not valid JSON: ${(error as Error).message}${hint ? `. ${hint}` : ""}`,
    );
  }
}
