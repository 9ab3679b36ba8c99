/**
 * An error whose message alone tells a person what is wrong, where, and how to fix it: commands
 * and `pulumi up` print it without a stack trace. Config, discovery and command-line errors extend it.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Whether an error's message alone tells a person what to fix, so a stack trace would only hide it. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
