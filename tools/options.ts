import { Option } from "commander";
import { join, relative } from "node:path";
import { inputPath, stackName } from "../lib/cli";
import { EXAMPLE_ORG_PATH } from "./examples";

/** --org, its default shown as the project's path rather than this machine's. */
export const orgOption = (description: string): Option =>
  new Option("--org <file>", description)
    .argParser(inputPath)
    .default(EXAMPLE_ORG_PATH, relative(join(__dirname, ".."), EXAMPLE_ORG_PATH));

/** --stack, prod by default: the stack file Pulumi.<name>.yaml next to Pulumi.yaml. */
export const stackOption = (description: string): Option =>
  new Option("--stack <name>", description).argParser(stackName).default("prod");
