import { renderTable } from "../../lib/tables";
import { CoverageReport } from "./run";
import { CoverageStatus } from "./types";

const STATUSES: CoverageStatus[] = ["ok", "missing", "outdated", "failed", "unknown"];

/** Any account, region and item not in place. */
export const hasGaps = (report: CoverageReport) => report.rows.some((row) => row.status !== "ok");

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
  return lines.join("\n");
}
