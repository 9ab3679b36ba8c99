import { renderTable } from "../../lib/tables";
import { CoverageReport } from "./run";
import { CoverageStatus } from "./types";

const STATUSES: CoverageStatus[] = ["ok", "missing", "outdated", "failed", "unknown"];

/** Any account, region and item not in place. */
export const hasGaps = (report: CoverageReport) => report.rows.some((row) => row.status !== "ok");

const when = (time?: Date) => (time ? time.toISOString().slice(0, 16).replace("T", " ") : "");

/** The StackSet's running and last operations: one row each, its results and failures by reason. */
function operationLines(report: CoverageReport): string[] {
  if (!report.operations) return [];
  const lines = ["", "StackSet operations (running, then the last ones)"];
  if (report.operations.length === 0) return [...lines, "None."];
  lines.push(
    renderTable(
      ["Operation", "Action", "Status", "Started", "Ended", "Results", "Failed, by reason"],
      report.operations.map((operation) => [
        operation.id,
        operation.action,
        operation.status,
        when(operation.start),
        when(operation.end),
        Object.entries(operation.results)
          .map(([status, count]) => `${count} ${status.toLowerCase()}`)
          .join(", "),
        operation.failures
          .map(
            ({ reason, accounts }) =>
              `${reason}: ${accounts.length} (${accounts.slice(0, 3).join(", ")}${accounts.length > 3 ? ", …" : ""})`,
          )
          .join("; "),
      ]),
      undefined,
      [0],
    ),
  );
  return lines;
}

/** Suspended accounts the StackSet skips: listed here, never posted in the channel. */
function suspendedLines(report: CoverageReport): string[] {
  if (!report.suspended?.length) return [];
  return [
    "",
    `Suspended, skipped by the StackSet until reinstated (not posted in the channel): ${report.suspended.join(", ")}`,
  ];
}

/** A summary per item and status, then every gap with its reason and fix. */
export function renderCoverage(report: CoverageReport): string {
  const items = [...new Set(report.rows.map((row) => row.item))];
  const summary = renderTable(
    ["Item", ...STATUSES.map((status) => status.toUpperCase())],
    items.map((item) => [
      item,
      ...STATUSES.map(
        (status) => report.rows.filter((row) => row.item === item && row.status === status).length,
      ),
    ]),
  );
  const gaps = report.rows.filter((row) => row.status !== "ok");
  const lines = [
    `abuse-alerts coverage: ${report.accounts} accounts in scope, ${report.regions.join(", ")}, deployment ${report.deployment}`,
    summary,
  ];
  if (gaps.length > 0) {
    lines.push(
      "",
      "Gaps",
      renderTable(
        ["Account", "Name", "Region", "Item", "Status", "Found", "Fix"],
        gaps.map((row) => [
          row.accountId,
          row.name,
          row.region,
          row.item,
          row.status.toUpperCase(),
          row.detail,
          row.fix ?? "",
        ]),
      ),
      "",
      `${gaps.length} gap(s): abuse reports there may reach nobody. Fix them, then run npm run coverage again.`,
    );
  } else {
    lines.push("", "Every account in scope is covered in every region.");
  }
  lines.push(...suspendedLines(report), ...operationLines(report));
  return lines.join("\n");
}
