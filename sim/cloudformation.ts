import { eventRuleArn, queueArn, queueUrl, roleArn, stackArn } from "../model/arns";

/**
 * A CloudFormation template resolved for one stack, offline, as CloudFormation resolves it:
 * parameters (defaults, or values given), conditions, pseudo parameters and the intrinsic
 * functions Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or and Condition. Each resource gets the physical name and the
 * attributes AWS gives it, for the resource types the project's templates use. Anything else is
 * refused, so a template the model does not understand fails the tests instead of passing them.
 */

export interface StackContext {
  accountId: string;
  region: string;
  stackName: string;
  /** Values for the template's parameters; defaults where absent. */
  parameters?: Record<string, string>;
}

export interface ResolvedResource {
  type: string;
  /** What Ref returns. */
  ref: string;
  /** What Fn::GetAtt returns, per attribute. */
  attributes: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
}

export class TemplateError extends Error {}

/** What Ref AWS::NoValue leaves: the property or list item is dropped. */
const NO_VALUE = Symbol("AWS::NoValue");

/** The name CloudFormation generates when a resource's name property is absent: stack-LogicalId-SUFFIX. */
const generatedName = (context: StackContext, logicalId: string) =>
  `${context.stackName}-${logicalId}-ABCDEFGHIJ12`.slice(0, 64);

/** Ref and attributes per resource type, from its (already resolved) name properties. */
function identity(
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  context: StackContext,
): { ref: string; attributes: Record<string, string> } {
  const { accountId, region } = context;
  const named = (key: string) => {
    const value = properties[key];
    return typeof value === "string" ? value : generatedName(context, logicalId);
  };
  switch (type) {
    case "AWS::IAM::Role": {
      const name = named("RoleName");
      return {
        ref: name,
        attributes: { Arn: roleArn(accountId, name), RoleId: `AROA${logicalId}` },
      };
    }
    case "AWS::SQS::Queue": {
      const name = named("QueueName");
      const url = queueUrl(region, accountId, name);
      return {
        ref: url,
        attributes: { Arn: queueArn(region, accountId, name), QueueName: name, QueueUrl: url },
      };
    }
    case "AWS::SQS::QueuePolicy":
      return { ref: generatedName(context, logicalId), attributes: {} };
    // Its Ref is a presigned S3 URL nobody signals: the resource deploys nothing.
    case "AWS::CloudFormation::WaitConditionHandle":
      return {
        ref: `https://cloudformation-waitcondition-${region}.s3.amazonaws.com/${encodeURIComponent(context.stackName)}/${logicalId}`,
        attributes: {},
      };
    case "AWS::Events::Rule": {
      const name = named("Name");
      const bus = typeof properties.EventBusName === "string" ? properties.EventBusName : "default";
      return {
        ref: bus === "default" ? name : `${bus}|${name}`,
        attributes: { Arn: eventRuleArn(region, accountId, name, bus) },
      };
    }
    default:
      throw new TemplateError(`resource ${logicalId}: type ${type} is not modelled`);
  }
}

const NAME_PROPERTIES = ["RoleName", "QueueName", "Name", "EventBusName"];

/** One stack's view of a template: its parameters, pseudo parameters, conditions and resources. */
class TemplateResolver {
  private readonly parameters: Record<string, string> = {};
  private readonly pseudo: Record<string, string>;
  private readonly conditions = new Map<string, boolean>();
  readonly resources: Record<string, ResolvedResource> = {};

  constructor(
    private readonly template: Template,
    private readonly context: StackContext,
  ) {
    for (const [name, definition] of Object.entries(template.Parameters ?? {})) {
      const value = context.parameters?.[name] ?? definition.Default;
      if (value === undefined) throw new TemplateError(`parameter ${name} has no value and no default`);
      this.parameters[name] = value;
    }
    for (const name of Object.keys(context.parameters ?? {})) {
      if (!(name in this.parameters))
        throw new TemplateError(`parameter ${name} is not declared by the template`);
    }
    const stackId = stackArn(
      context.region,
      context.accountId,
      context.stackName,
      "00000000-0000-0000-0000-000000000000",
    );
    this.pseudo = {
      "AWS::AccountId": context.accountId,
      "AWS::Region": context.region,
      "AWS::Partition": "aws",
      "AWS::URLSuffix": "amazonaws.com",
      "AWS::StackName": context.stackName,
      "AWS::StackId": stackId,
    };
  }

  condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(`condition ${name} is not declared`);
    const value = this.resolve(definition);
    if (typeof value !== "boolean") throw new TemplateError(`condition ${name} is not a boolean`);
    this.conditions.set(name, value);
    return value;
  }

  private reference(name: string): string {
    if (name in this.parameters) return this.parameters[name];
    if (name in this.pseudo) return this.pseudo[name];
    const resource = this.resources[name];
    if (resource) return resource.ref;
    throw new TemplateError(`Ref ${name}: no such parameter or resource`);
  }

  private attribute(logicalId: string, name: string): string {
    const value = this.resources[logicalId]?.attributes[name];
    if (value === undefined) throw new TemplateError(`Fn::GetAtt ${logicalId}.${name}: no such attribute`);
    return value;
  }

  private substitute(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (name in variables) return String(variables[name]);
      const dot = name.indexOf(".");
      return dot > 0 && !name.startsWith("AWS::")
        ? this.attribute(name.slice(0, dot), name.slice(dot + 1))
        : this.reference(name);
    });
  }

  /** A value with every intrinsic function in it resolved; Ref AWS::NoValue drops its property or item. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value))
      return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (typeof value !== "object" || value === null) return value;
    const entries: [string, unknown][] = Object.entries(value);
    if (
      entries.length === 1 &&
      (entries[0][0] === "Ref" || entries[0][0] === "Condition" || entries[0][0].startsWith("Fn::"))
    ) {
      return this.intrinsic(entries[0][0], entries[0][1]);
    }
    return Object.fromEntries(
      entries.map(([key, inner]) => [key, this.resolve(inner)]).filter(([, inner]) => inner !== NO_VALUE),
    );
  }

  private intrinsic(key: string, argument: unknown): unknown {
    const list = (count: number) => {
      if (!Array.isArray(argument) || argument.length !== count)
        throw new TemplateError(`${key} takes a list of ${count}`);
      return argument as unknown[];
    };
    switch (key) {
      case "Ref":
        return argument === "AWS::NoValue" ? NO_VALUE : this.reference(String(argument));
      case "Fn::GetAtt": {
        const [logicalId, name] = (
          Array.isArray(argument) ? argument : String(argument).split(/\.(.*)/)
        ) as unknown[];
        return this.attribute(String(logicalId), String(name));
      }
      case "Fn::Sub": {
        if (typeof argument === "string") return this.substitute(argument, {});
        const [text, variables] = list(2);
        return this.substitute(String(text), this.resolve(variables) as Record<string, unknown>);
      }
      case "Fn::Join": {
        const [separator, items] = list(2);
        return (this.resolve(items) as unknown[]).map(String).join(String(separator));
      }
      case "Fn::Select": {
        const [index, items] = list(2);
        const chosen = (this.resolve(items) as unknown[])[Number(this.resolve(index))];
        if (chosen === undefined)
          throw new TemplateError(`Fn::Select index ${String(index)} is out of range`);
        return chosen;
      }
      case "Fn::Split": {
        const [separator, text] = list(2);
        return String(this.resolve(text)).split(String(separator));
      }
      default:
        return this.conditionFunction(key, argument, list);
    }
  }

  /** Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition. */
  private conditionFunction(key: string, argument: unknown, list: (count: number) => unknown[]): unknown {
    switch (key) {
      case "Fn::If": {
        const [name, whenTrue, whenFalse] = list(3);
        return this.resolve(this.condition(String(name)) ? whenTrue : whenFalse);
      }
      case "Fn::Equals": {
        const [left, right] = list(2);
        return this.resolve(left) === this.resolve(right);
      }
      case "Fn::Not":
        return !this.resolve(list(1)[0]);
      case "Fn::And":
        return conditionList(key, argument).every((item) => this.resolve(item) === true);
      case "Fn::Or":
        return conditionList(key, argument).some((item) => this.resolve(item) === true);
      case "Condition":
        return this.condition(String(argument));
      default:
        throw new TemplateError(`${key} is not modelled`);
    }
  }

  /** The names of a resource's name properties, or why they cannot be resolved yet. */
  private names(resource: Template["Resources"][string]): Record<string, unknown> {
    return Object.fromEntries(
      NAME_PROPERTIES.filter((key) => resource.Properties?.[key] !== undefined).map((key) => [
        key,
        this.resolve(resource.Properties?.[key]),
      ]),
    );
  }

  /** Names first, in dependency order: a property may refer to another resource's name or ARN. */
  identifyResources(): void {
    const pending = Object.entries(this.template.Resources).filter(
      ([, resource]) => resource.Condition === undefined || this.condition(resource.Condition),
    );
    const waiting = new Map<string, string>();
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let index = 0; index < pending.length; index++) {
        const [logicalId, resource] = pending[index];
        let names: Record<string, unknown>;
        try {
          names = this.names(resource);
        } catch (error) {
          if (!(error instanceof TemplateError && /no such/.test(error.message))) throw error;
          waiting.set(logicalId, error.message); // waits on another resource, or on nothing
          continue;
        }
        this.resources[logicalId] = {
          type: resource.Type,
          ...identity(resource.Type, logicalId, names, this.context),
          properties: {},
        };
        pending.splice(index, 1);
        index -= 1;
        progress = true;
      }
    }
    if (pending.length > 0) {
      const reasons = pending.map(([id]) => `${id}: ${waiting.get(id) ?? "?"}`).join("; ");
      throw new TemplateError(`names that refer to each other or to nothing (${reasons})`);
    }
  }
}

/** Fn::And and Fn::Or take between 2 and 10 conditions; CloudFormation refuses other counts. */
function conditionList(key: string, argument: unknown): unknown[] {
  if (!Array.isArray(argument) || argument.length < 2 || argument.length > 10) {
    throw new TemplateError(`${key} takes 2 to 10 conditions, got ${JSON.stringify(argument)}`);
  }
  return argument;
}

/** Every resource of the template, resolved for one stack; resources whose condition is false are left out. */
export function resolveTemplate(template: Template, context: StackContext): Record<string, ResolvedResource> {
  const resolver = new TemplateResolver(template, context);
  resolver.identifyResources();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const resolved = resolver.resources[logicalId];
    if (resolved)
      resolved.properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
  }
  return resolver.resources;
}
