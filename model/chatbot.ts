import { ACKNOWLEDGE_ACTION_NAME } from "./names";

/**
 * The Acknowledge button: an AWS Chatbot custom action (`AWS::Chatbot::CustomAction`) on every
 * custom notification that names a case's acknowledgement. Chatbot runs its command as the
 * channel's role within the channel's guardrails, with variables taken from the notification.
 * Its API takes a command of at most 100 characters (CreateCustomAction's CommandText), so the
 * command passes no input: the execution's name says what to do and for which case
 * (`ack-<case ID>`), and the case workflow reads it.
 */

/** Where the button's variables come from: the message's metadata.additionalContext. */
export const ACKNOWLEDGE_VARIABLES = {
  r: "event.metadata.additionalContext.caseRegion",
  m: "event.metadata.additionalContext.caseMachine",
  n: "event.metadata.additionalContext.ackExecution",
} as const;

/** The AWS CLI command, without its leading `aws`, as Chatbot's own examples write them. */
export const ACKNOWLEDGE_COMMAND = "states start-execution --region $r --state-machine-arn $m --name $n";

/** Chatbot's limits for a custom action (its API reference). */
export const CUSTOM_ACTION_LIMITS = { command: 100, buttonText: 50, variables: 5, criteria: 5 } as const;

/** The custom action's desired state, as Cloud Control takes it. */
export function acknowledgeAction() {
  return {
    ActionName: ACKNOWLEDGE_ACTION_NAME,
    Definition: { CommandText: ACKNOWLEDGE_COMMAND },
    Attachments: [
      {
        NotificationType: "Custom",
        ButtonText: "Acknowledge",
        // Only notifications that carry a case's acknowledgement get the button.
        Criteria: [{ Operator: "HAS_VALUE", VariableName: "n" }],
        Variables: { ...ACKNOWLEDGE_VARIABLES },
      },
    ],
    Tags: [{ Key: "managed-by", Value: "abuse-alerts" }],
  };
}
