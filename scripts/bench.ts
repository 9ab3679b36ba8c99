import { Command, InvalidArgumentError } from "commander";
import { benchPlan, measureInChild, renderBench } from "../tools/bench/run";
import { BenchResult } from "../tools/bench/measure";
import { runCommand, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";

const sizeList = (value: string): number[] => {
  const sizes = value.split(",").map((part) => part.trim());
  if (!sizes.every((size) => /^\d+$/.test(size) && Number(size) >= 2 && Number(size) <= 20000)) {
    throw new InvalidArgumentError(
      "Expected account counts from 2 to 20000, separated by commas, e.g. 10,100,1000.",
    );
  }
  return sizes.map(Number);
};

export function benchCommand(): Command {
  return new Command()
    .name("npm run bench --")
    .description(
      "Measure the program under mocks for organizations of several sizes, in both modes, and print a table.",
    )
    .option("--sizes <list>", "organization sizes, comma-separated", sizeList, [10, 100, 1000, 10000])
    .option(
      "--direct-max <n>",
      "largest organization to run in direct mode (memory grows with it)",
      wholeNumber(2, 20000),
      1000,
    )
    .option("--heap <mb>", "heap of each measuring process, in MB", wholeNumber(512, 65536), 8192)
    .action(async (flags: { sizes: number[]; directMax: number; heap: number }) => {
      const runs = benchPlan(flags.sizes, flags.directMax);
      const bar = progressBar("measuring", runs.length);
      const results: BenchResult[] = [];
      for (const run of runs) {
        results.push(await measureInChild(run, flags.heap));
        bar.tick();
      }
      bar.stop();
      console.log(renderBench(results, new Date()));
    });
}

if (require.main === module) void runCommand(benchCommand());
