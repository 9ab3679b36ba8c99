/** Physical names shared by the program, the doctor and the test-event command. */

/** The custom event bus in the central account, in every configured region. */
export const CENTRAL_BUS_NAME = "abuse-alerts";

/** The forwarding rule on each member account's default bus. */
export const FORWARDER_RULE_NAME = "abuse-alerts-forward";

/** The role each member account's rule uses to put events on the central bus (IAM is global). */
export const FORWARDER_ROLE_NAME = "abuse-alerts-forwarder";

/** Chatbot's API is not served from us-east-1; us-west-2 is one of its four API regions. */
export const CHATBOT_API_REGION = "us-west-2";

export function centralBusArn(region: string, centralAccountId: string): string {
  return `arn:aws:events:${region}:${centralAccountId}:event-bus/${CENTRAL_BUS_NAME}`;
}
