import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * The folders from the bottom up: a module may import from its own folder and from any folder
 * below it, never from one above. index.ts, the program's entry, stands with program/.
 */
const LAYERS = [
  "lib",
  "config",
  "model",
  "accounts",
  "notify",
  "components",
  "program",
  "sim",
  "tools",
  "scripts",
];

const layerOf = (file: string) => {
  const top = file.split("/")[0];
  return top === "index.ts" ? "program" : top;
};

/** Product files: every TypeScript file git tracks outside test/. */
const productFiles = () =>
  execFileSync("git", ["ls-files", "*.ts"], { cwd: ROOT, encoding: "utf8" })
    .trim()
    .split("\n")
    .filter((file) => !file.startsWith("test/"));

/** Relative imports and requires of a file, as project paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import|require)\s*\(?\s*"(\.{1,2}\/[^"]*)"/g)].map(
    (match) => match[1],
  );
  return specifiers.map((specifier) => relative(ROOT, normalize(join(ROOT, dirname(file), specifier))));
}

describe("the layout: one layer per folder, imports pointing down", () => {
  it("knows the layer of every product file", () => {
    const unknown = productFiles().filter((file) => !LAYERS.includes(layerOf(file)));
    assert.deepEqual(unknown, []);
  });

  it("has no import that points up a layer", () => {
    const upward = productFiles().flatMap((file) =>
      importsOf(file)
        .filter((target) => LAYERS.indexOf(layerOf(target)) > LAYERS.indexOf(layerOf(file)))
        .map((target) => `${file} → ${target}`),
    );
    assert.deepEqual(upward, []);
  });

  it("reads nothing under test/ from the product", () => {
    const intoTests = productFiles().flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith("test/"))
        .map((target) => `${file} → ${target}`),
    );
    const textMentions = productFiles().filter((file) =>
      /["'`]test["'`],\s*["'`]fixtures/.test(readFileSync(join(ROOT, file), "utf8")),
    );
    assert.deepEqual([...intoTests, ...textMentions], []);
  });
});
