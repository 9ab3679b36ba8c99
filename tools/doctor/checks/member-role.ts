import { probeFix } from "../../../accounts/probe";
import { DoctorCheck, Finding } from "../types";

const CHECK = "member role";

/**
 * The member role in every covered account. Direct mode deploys through it, so a role that cannot
 * be assumed blocks delivery; a StackSet deploys with its own roles, and the doctor only reads
 * the account's dead-letter queues through it.
 */
export const memberRoleCheck: DoctorCheck = {
  name: CHECK,
  async run({ config, discovery, memberAccess }) {
    const outcomes = await memberAccess();
    const needed = config.deployment === "direct";
    const findings = outcomes.flatMap((outcome): Finding[] =>
      outcome.status === "failed"
        ? [
            {
              check: CHECK,
              status: needed || outcome.accountId === config.centralAccountId ? "fail" : "warn",
              subject: `account ${outcome.accountId}`,
              detail:
                `cannot assume role ${config.memberRoleName}: ${outcome.errorCode}: ${outcome.message}` +
                (needed
                  ? ""
                  : " (the StackSet does not need it; the doctor cannot read the account's dead-letter queues)"),
              fix: probeFix(
                outcome.errorCode,
                outcome.accountId,
                config.memberRoleName,
                discovery.caller.accountId,
              ),
            },
          ]
        : [],
    );
    if (findings.length > 0) return findings;
    return [
      {
        check: CHECK,
        status: "ok",
        subject: `${outcomes.length} accounts`,
        detail: `${config.memberRoleName} can be assumed in every covered account`,
      },
    ];
  },
};
