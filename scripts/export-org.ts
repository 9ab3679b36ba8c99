import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { Command } from "commander";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { countOrganization, exportOrganization, organizationJson } from "../accounts/export-org";
import { createStsClient, getCaller } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { DEFAULT_ACCOUNT_TAGS } from "../config/schema";
import { loadStackFileConfig } from "../config/stack-file";
import { inputPath, runCommand, stackName, UserError, wholeNumber } from "../lib/cli";
import { progressBar, ProgressFactory } from "../lib/progress";

export interface ExportClients {
  sts: STSClient;
  organizations: OrganizationsClient;
}

function awsClients(): ExportClients {
  return { sts: createStsClient(), organizations: createOrganizationsClient() };
}

interface Flags {
  out?: string;
  force?: boolean;
  /** The keys as typed; false for --no-tags; undefined: the stack's or the default ones. */
  tags?: string | false;
  stack?: string;
  concurrency: number;
}

function tagKeys(flags: Flags): string[] {
  if (flags.tags === false) return [];
  if (flags.tags !== undefined) return flags.tags.split(",").flatMap((key) => key.trim() || []);
  return flags.stack ? loadStackFileConfig(flags.stack).accountTags : [...DEFAULT_ACCOUNT_TAGS];
}

/** The path as the person would type it again, from where they ran npm (INIT_CWD). */
function shownPath(path: string): string {
  const fromCwd = relative(process.env.INIT_CWD ?? process.cwd(), resolve(path));
  // Outside the directory typed in, the absolute path reads better than ../../x.
  const shown = fromCwd === "" || fromCwd.startsWith("..") ? resolve(path) : fromCwd;
  return /^[\w./@+-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
}

const exists = (path: string) =>
  new UserError(`${shownPath(path)} already exists: pass --force to overwrite it, or choose another --out.`);

const noDirectory = (path: string) =>
  new UserError(
    `cannot write ${shownPath(path)}: its directory does not exist; create it, or choose another --out.`,
  );

export function exportOrgCommand(
  clients: () => ExportClients = awsClients,
  progress: ProgressFactory = progressBar,
): Command {
  return new Command()
    .name("npm run export-org --")
    .description(
      "Read the real organization (credentials of the management account or an Organizations delegated administrator) and write it as an organization file for npm run plan -- --org.",
    )
    .option("--out <file>", "file to write (default: print the JSON to stdout)", inputPath)
    .option("--force", "overwrite the --out file when it exists")
    .option(
      "--tags <keys>",
      `account tag keys to keep, comma separated (default: the --stack's abuse-alerts:accountTags, else ${DEFAULT_ACCOUNT_TAGS.join(",")})`,
    )
    .option("--no-tags", "keep no tags: no ListTagsForResource call per account (large organizations)")
    .option("--stack <name>", "stack whose abuse-alerts:accountTags to keep", stackName)
    .option("--concurrency <n>", "Organizations requests in flight at once (1-16)", wholeNumber(1, 16), 4)
    .action(async (flags: Flags) => {
      const tags = tagKeys(flags);
      // Refused before any AWS call, so a big organization is not read for nothing.
      if (flags.out && existsSync(flags.out) && statSync(flags.out).isDirectory()) {
        throw new UserError(
          `${shownPath(flags.out)} is a directory: give --out a file's path, e.g. ${shownPath(join(flags.out, "my-org.json"))}`,
        );
      }
      if (flags.out && !flags.force && existsSync(flags.out)) throw exists(flags.out);
      if (flags.out && !existsSync(dirname(flags.out))) throw noDirectory(flags.out);
      const { sts, organizations } = clients();
      const caller = await getCaller(sts);
      const file = await exportOrganization(organizations, {
        tags,
        concurrency: flags.concurrency,
        progress,
        caller,
      });
      const text = organizationJson(file);
      const { accounts, organizationalUnits } = countOrganization(file);
      const summary = `Exported ${accounts} accounts and ${organizationalUnits} OUs of ${file.organization.id}`;
      if (!flags.out) {
        console.log(text.trimEnd());
        console.error(`${summary}.`);
        return;
      }
      try {
        writeFileSync(flags.out, text, { flag: flags.force ? "w" : "wx" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw exists(flags.out);
        if (code === "ENOENT") throw noDirectory(flags.out);
        throw new UserError(`cannot write ${shownPath(flags.out)} (${code ?? (error as Error).message})`);
      }
      console.error(`${summary} to ${shownPath(flags.out)}.`);
      console.error(`Next: npm run plan -- --org ${shownPath(flags.out)}`);
    });
}

if (require.main === module) void runCommand(exportOrgCommand());
