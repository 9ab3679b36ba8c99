import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { countOrganization, exportOrganization, organizationJson } from "../accounts/export-org";
import { createStsClient, getCaller } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { DEFAULT_ACCOUNT_TAGS } from "../config/defaults";
import { loadStackFileConfig } from "../config/stack-file";
import { UserError } from "../lib/errors";
import { progressBar, ProgressFactory } from "../lib/progress";

export interface ExportClients {
  sts: STSClient;
  organizations: OrganizationsClient;
}

function awsClients(): ExportClients {
  return { sts: createStsClient(), organizations: createOrganizationsClient() };
}

export interface ExportFlags {
  out?: string;
  force?: boolean;
  /** The keys as typed; false for --no-tags; undefined: the stack's or the default ones. */
  tags?: string | false;
  stack?: string;
  concurrency: number;
}

function tagKeys(flags: ExportFlags): string[] {
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

/**
 * What `npm run export-org` does: refuses an --out it cannot write before any AWS call, reads the
 * organization, and writes the file (or prints it); the summary and next step go to stderr.
 */
export async function exportOrg(
  flags: ExportFlags,
  clients: () => ExportClients = awsClients,
  progress: ProgressFactory = progressBar,
): Promise<void> {
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
}
