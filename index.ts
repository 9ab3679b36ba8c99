import { abuseAlerts } from "./program";

// `pulumi up` runs the project's main file; the program itself lives in program/.
export = abuseAlerts;
