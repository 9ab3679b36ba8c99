import { paragraph, renderTable } from "../../lib/tables";
import { Finding, Status } from "./types";

const ORDER: Record<Status, number> = { fail: 0, warn: 1, ok: 2 };

const problemCount = (count: number) => `${count} problem${count === 1 ? "" : "s"}`;

export const blocksDelivery = (findings: readonly Finding[]) =>
  findings.some((finding) => finding.status === "fail");

/** The report: a summary per check, in the order they ran, then every problem with its fix. */
export function renderDoctor(findings: readonly Finding[]): string {
  const checks = [...new Set(findings.map((finding) => finding.check))];
  const summary = renderTable(
    ["Check", "Status", "Detail"],
    checks.map((check) => {
      const mine = findings.filter((finding) => finding.check === check);
      const worst = mine.reduce((a, b) => (ORDER[b.status] < ORDER[a.status] ? b : a));
      const problems = mine.filter((finding) => finding.status !== "ok").length;
      return [
        check,
        worst.status.toUpperCase(),
        problems > 0 ? `${problemCount(problems)}, see below` : worst.detail,
      ];
    }),
  );
  const problems = findings
    .filter((finding) => finding.status !== "ok")
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const failures = problems.filter((finding) => finding.status === "fail").length;
  // A problem whose message carries its own fix (no credentials, no Organizations access) leaves no Fix column.
  const withFix = problems.some((finding) => finding.fix !== undefined);
  const lines = ["abuse-alerts doctor", summary];
  if (problems.length > 0) {
    lines.push(
      "",
      "Problems",
      renderTable(
        ["Status", "Check", "Where", "Problem", ...(withFix ? ["Fix"] : [])],
        problems.map((finding) => [
          finding.status.toUpperCase(),
          finding.check,
          finding.subject,
          finding.detail,
          ...(withFix ? [finding.fix ?? ""] : []),
        ]),
      ),
    );
  }
  lines.push(
    "",
    paragraph(
      findings.some((finding) => finding.stopped)
        ? "The doctor stopped there: it can check nothing else without this. Fix it, then run npm run doctor again."
        : failures > 0
          ? `${problemCount(failures)} ${failures === 1 ? "blocks" : "block"} delivery of alerts. Fix ${failures === 1 ? "it" : "them"}, run npm run doctor again, then pulumi up.`
          : "Nothing blocks delivery of alerts.",
    ),
  );
  return lines.join("\n");
}
