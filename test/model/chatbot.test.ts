import { strict as assert } from "node:assert";
import {
  ACKNOWLEDGE_COMMAND,
  ACKNOWLEDGE_VARIABLES,
  acknowledgeAction,
  CUSTOM_ACTION_LIMITS,
} from "../../model/chatbot";
import { CASE_MODES } from "../../notify/case-definition";

describe("the Acknowledge button (AWS::Chatbot::CustomAction), within Chatbot's documented limits", () => {
  const action = acknowledgeAction();
  const [attachment] = action.Attachments;

  it("its command fits the API's 100 characters, and names only variables it defines", () => {
    assert.ok(
      ACKNOWLEDGE_COMMAND.length <= CUSTOM_ACTION_LIMITS.command,
      `${ACKNOWLEDGE_COMMAND.length} characters`,
    );
    const used = [...ACKNOWLEDGE_COMMAND.matchAll(/\$(\w+)/g)].map((match) => match[1]).sort();
    assert.deepEqual(used, Object.keys(attachment.Variables).sort());
    assert.match(
      ACKNOWLEDGE_COMMAND,
      /^states start-execution /,
      "the AWS CLI command, without aws, as Chatbot's examples write it",
    );
    // Chatbot's command takes no JSON: the execution's name says what to do, and for which case.
    assert.doesNotMatch(ACKNOWLEDGE_COMMAND, /--input/);
  });

  it("its names and attachment follow the API's patterns and limits", () => {
    assert.match(action.ActionName, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.ok(attachment.ButtonText.length <= CUSTOM_ACTION_LIMITS.buttonText);
    assert.match(attachment.NotificationType, /^[a-zA-Z0-9-]{1,100}$/);
    assert.ok(Object.keys(attachment.Variables).length <= CUSTOM_ACTION_LIMITS.variables);
    assert.ok(attachment.Criteria.length <= CUSTOM_ACTION_LIMITS.criteria);
    for (const [name, path] of Object.entries(attachment.Variables)) {
      assert.match(name, /^[A-Za-z0-9-_]{1,100}$/);
      assert.match(path, /^event\.metadata\.additionalContext\.[A-Za-z]+$/);
      assert.match(path, /^[\x21-\x7F]{1,1024}$/);
    }
    for (const criterion of attachment.Criteria) assert.ok(criterion.VariableName in attachment.Variables);
  });

  it("the execution it starts is the acknowledgement of the case the notification names", () => {
    assert.equal(ACKNOWLEDGE_VARIABLES.n, "event.metadata.additionalContext.ackExecution");
    assert.equal(CASE_MODES.acknowledge, "ack");
  });
});
