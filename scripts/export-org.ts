import { Command } from "commander";
import { DEFAULT_ACCOUNT_TAGS } from "../config/defaults";
import { inputPath, runCommand, stackName, wholeNumber } from "../lib/cli";
import { progressBar, ProgressFactory } from "../lib/progress";
import { ExportClients, ExportFlags, exportOrg } from "../tools/export-org";

export function exportOrgCommand(
  clients?: () => ExportClients,
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
    .action((flags: ExportFlags) => exportOrg(flags, clients, progress));
}

if (require.main === module) void runCommand(exportOrgCommand());
