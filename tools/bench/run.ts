import { fork } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { PROVIDER_MEMORY_MB } from "../../accounts/capacity";
import { Deployment } from "../../config/schema";
import { paragraph, renderTable } from "../../lib/tables";
import { BenchResult } from "./measure";

export interface BenchPlan {
  deployment: Deployment;
  size: number;
  /** Also set every covered account's SECURITY contact. */
  securityContact: boolean;
}

/**
 * Which runs to make: direct mode up to the size the machine holds; StackSet mode at every size,
 * without and with the security contacts (Pulumi's only resources that grow with the organization there).
 */
export function benchPlan(sizes: readonly number[], directMax: number): BenchPlan[] {
  return [
    ...sizes
      .filter((size) => size <= directMax)
      .map((size) => ({ deployment: "direct" as const, size, securityContact: false })),
    ...sizes.map((size) => ({ deployment: "stackset" as const, size, securityContact: false })),
    ...sizes.map((size) => ({ deployment: "stackset" as const, size, securityContact: true })),
  ];
}

/** One measurement in a fresh Node process with room for the largest direct runs. */
export function measureInChild(run: BenchPlan, heapMb: number): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(
      join(__dirname, "child.ts"),
      [run.deployment, String(run.size), run.securityContact ? "contacts" : ""],
      {
        execArgv: ["-r", "ts-node/register/transpile-only", `--max-old-space-size=${heapMb}`],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("message", (message: BenchResult | { error: string }) => {
      child.kill();
      if ("error" in message) reject(new Error(`${run.deployment} ${run.size}: ${message.error}`));
      else resolve(message);
    });
    child.on("exit", (code) => {
      if (code !== 0 && code !== null)
        reject(new Error(`${run.deployment} ${run.size} exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gigabytes = (mb: number) => (mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${Math.round(mb)} MB`);

/** The results as a table, with the machine and the date, and what a real pulumi up would need for providers. */
export function renderBench(results: readonly BenchResult[], measuredOn: Date): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, ${gigabytes(totalmem() / 1e6)}, Node ${process.version}`;
  return [
    `abuse-alerts bench, ${measuredOn.toISOString().slice(0, 10)}, on ${machine}`,
    paragraph(
      "The program under Pulumi mocks (npm run plan's runner) against synthetic organizations; AWS calls counted on fakes.",
    ),
    renderTable(
      [
        "Mode",
        "Accounts",
        "Wall time",
        "Peak memory",
        "Resources",
        "Providers",
        "Per account",
        "AWS calls (org + sts)",
        "Provider memory",
      ],
      results.map((result) => [
        result.securityContact ? `${result.deployment} + contacts` : result.deployment,
        result.accounts,
        seconds(result.wallMs),
        gigabytes(result.peakRssMb),
        result.resources,
        result.providers,
        result.perAccount.toFixed(0),
        `${result.organizationsCalls} + ${result.stsCalls}`,
        `${((result.providers * PROVIDER_MEMORY_MB.low) / 1000).toFixed(1)}-${((result.providers * PROVIDER_MEMORY_MB.high) / 1000).toFixed(1)} GB`,
      ]),
    ),
    ...[
      "Resources: AWS resources, components and providers Pulumi manages. Per account: those each covered member account adds.",
      "+ contacts: with abuse-alerts:securityContact: the daily contact reconcile (its workflow, roles and schedule); no resource per account.",
      "AWS calls: Organizations requests (every page, 20 items each) + STS AssumeRole probes of the member role.",
      `Provider memory: one plugin process per AWS provider at ${PROVIDER_MEMORY_MB.low}-${PROVIDER_MEMORY_MB.high} MB each (pulumi-aws#5226, #5860), which a real pulumi up adds.`,
    ].map(paragraph),
  ].join("\n");
}
