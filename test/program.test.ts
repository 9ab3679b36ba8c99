import { strict as assert } from "node:assert";
import { OfflineRunError } from "../scripts/offline";
import { prodConfigWith, runProgram } from "./helpers/offline";

describe("the Pulumi program", () => {
  it("exports the covered accounts, sorted, and each skipped account with its reason", async () => {
    const { outputs } = await runProgram(prodConfigWith());
    assert.deepEqual(outputs.coveredAccountIds, [
      "100000000001",
      "111111111111",
      "111111111112",
      "222222222221",
      "222222222222",
      "222222222223",
      "333333333333",
    ]);
    assert.deepEqual(outputs.skippedAccounts, [
      { id: "333333333331", reason: "excluded" },
      { id: "333333333332", reason: "suspended" },
      { id: "444444444441", reason: "closed" },
      { id: "444444444442", reason: "pending closure" },
    ]);
  });

  it("stops on bad config with every problem listed, before declaring any resource", async () => {
    await assert.rejects(
      runProgram(prodConfigWith({ centralAccountId: "1234", regions: ["us-west-2"], chanelId: "C1" })),
      (error: OfflineRunError) => {
        assert.deepEqual(error.resources, []);
        assert.match(error.message, /has 3 problems/);
        assert.match(
          error.message,
          /abuse-alerts:centralAccountId must be a 12-digit AWS account ID .*got "1234"/,
        );
        assert.match(error.message, /abuse-alerts:chanelId is not a known key/);
        assert.match(error.message, /abuse-alerts:regions must include us-east-1/);
        return true;
      },
    );
  });
});
