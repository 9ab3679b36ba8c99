import { Deployment } from "../../config/schema";
import { measure } from "./measure";

// One measurement per process, so each peak memory figure is its own. The parent sends what to
// measure and reads the result back.
if (require.main === module) {
  const [deployment, size, contacts] = process.argv.slice(2);
  measure(deployment as Deployment, Number(size), contacts === "contacts").then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
}
