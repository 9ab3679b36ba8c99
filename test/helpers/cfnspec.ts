import { specification } from "@aws-cdk/cfnspec";

interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
}

const spec = specification() as unknown as {
  ResourceTypes: Record<string, { Properties?: Record<string, PropertySpec> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec> }>;
};

const isIntrinsic = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::|Condition$)/.test(Object.keys(value)[0]);

const PRIMITIVES: Record<string, (value: unknown) => boolean> = {
  String: (value) => typeof value === "string",
  Integer: (value) => Number.isInteger(value),
  Long: (value) => Number.isInteger(value),
  Double: (value) => typeof value === "number",
  Boolean: (value) => typeof value === "boolean",
  Json: (value) => typeof value === "object" && value !== null,
  Timestamp: (value) => typeof value === "string",
};

/**
 * Every resource type, property and required property of a template, checked against AWS's
 * CloudFormation resource specification (@aws-cdk/cfnspec): the problems, none when it is valid.
 */
export function specProblems(template: {
  Resources: Record<string, { Type: string; Properties?: object }>;
}): string[] {
  const problems: string[] = [];
  const checkObject = (
    where: string,
    value: unknown,
    properties: Record<string, PropertySpec>,
    typePrefix: string,
  ) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${where}: expected an object`);
      return;
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.Required && !(name in value)) problems.push(`${where}: missing required ${name}`);
    }
    for (const [name, inner] of Object.entries(value)) {
      const property = properties[name];
      if (!property) problems.push(`${where}: unknown property ${name}`);
      else checkValue(`${where}.${name}`, inner, property, typePrefix);
    }
  };
  const checkTyped = (
    where: string,
    value: unknown,
    type: string,
    primitive: string | undefined,
    typePrefix: string,
  ) => {
    if (isIntrinsic(value)) return;
    if (primitive) {
      if (!PRIMITIVES[primitive]?.(value))
        problems.push(`${where}: expected ${primitive}, got ${JSON.stringify(value)}`);
      return;
    }
    const nested = spec.PropertyTypes[`${typePrefix}.${type}`] ?? spec.PropertyTypes[type];
    if (!nested) problems.push(`${where}: property type ${type} is not in the specification`);
    else checkObject(where, value, nested.Properties ?? {}, typePrefix);
  };
  const checkValue = (where: string, value: unknown, property: PropertySpec, typePrefix: string) => {
    if (isIntrinsic(value)) return;
    if (property.Type === "List" || property.Type === "Map") {
      const items = property.Type === "List" ? value : Object.values(value as object);
      if (!Array.isArray(items)) {
        problems.push(`${where}: expected a list`);
        return;
      }
      items.forEach((item, index) =>
        checkTyped(
          `${where}[${index}]`,
          item,
          property.ItemType ?? "",
          property.PrimitiveItemType,
          typePrefix,
        ),
      );
      return;
    }
    checkTyped(where, value, property.Type ?? "", property.PrimitiveType, typePrefix);
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const type = spec.ResourceTypes[resource.Type];
    if (!type) {
      problems.push(`${logicalId}: resource type ${resource.Type} is not in the specification`);
      continue;
    }
    checkObject(logicalId, resource.Properties ?? {}, type.Properties ?? {}, resource.Type);
  }
  return problems;
}
