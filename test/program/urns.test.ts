import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { prodConfigWith, runProgram } from "../helpers/offline";

/** URNs the protected bus, topics and keys were deployed with: a changed one would replace them. */
const DEPLOYED = (
  JSON.parse(readFileSync(join(__dirname, "protected-urns.json"), "utf8")) as { urns: string[] }
).urns;

describe("the protected resources keep their URNs", () => {
  for (const deployment of ["direct", "stackset"]) {
    it(`in ${deployment} mode, the bus, topics and keys of every region are declared protected under their deployed URNs`, async () => {
      const { resources } = await runProgram(prodConfigWith({ deployment }));
      const protectedUrns = resources.filter((resource) => resource.protect).map((resource) => resource.urn);
      assert.deepEqual(protectedUrns.sort(), [...DEPLOYED].sort());
    });
  }

  it("names each URN by its whole chain of parents, as the engine does", async () => {
    const { resources } = await runProgram(prodConfigWith({}));
    const bus = resources.find((resource) => resource.name === "central-us-east-1-bus");
    assert.equal(
      bus?.urn,
      "urn:pulumi:test::abuse-alerts::abuse-alerts:index:CentralHub$abuse-alerts:index:RegionalHub$aws:cloudwatch/eventBus:EventBus::central-us-east-1-bus",
    );
    const parent = resources.find((resource) => resource.urn === bus?.parent);
    assert.equal(parent?.type, "abuse-alerts:index:RegionalHub");
  });
});
