import { TaskCall, TaskFailure } from "./step-functions";

/**
 * Step Functions' HTTP task (`arn:aws:states:::http:invoke`) offline, with the EventBridge
 * connections it authorizes through, as AWS documents them ("Call HTTPS APIs in Step Functions
 * workflows"): the connection's headers, query strings and body parameters are added to the
 * task's, the connection's value winning a duplicate key; a connection with body parameters and a
 * task whose RequestBody is text is States.Runtime; a header Step Functions reserves is
 * States.Runtime; an answer other than 2xx is States.Http.StatusCode.<code>; no answer is
 * States.Http.Socket; an unknown connection, Events.ConnectionResource.ResourceNotFound. The
 * endpoints are handlers: fakes of the services called, such as sim/pagerduty.ts.
 */

export const HTTP_INVOKE = "arn:aws:states:::http:invoke";

/** What a connection adds to every request made through it. */
export interface ConnectionParameters {
  headers?: Record<string, string>;
  queryStrings?: Record<string, string>;
  /** Body parameters: secret ones (a routing key) stay in the connection, never in a definition. */
  bodies?: Record<string, string>;
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  connectionArn: string;
  time: Date;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

export type Endpoint = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

/** Headers the HTTP task refuses (Step Functions sets or forbids them). */
const RESERVED = [
  /^(authorization|host|content-encoding|content-md5|date|expect|from|origin|referer|server|te|trailer|transfer-encoding|upgrade|via|warning|cache-control|connection|pragma|proxy-authorization|a-im|forwarded|http2-settings|max-forwards)$/i,
  /^(if-|accept-(charset|datetime|encoding)$|x-forwarded-|x-amz-|x-amzn-)/i,
];

interface InvokeArguments {
  ApiEndpoint?: string;
  Method?: string;
  Authentication?: { ConnectionArn?: string };
  InvocationConfig?: { ConnectionArn?: string };
  Headers?: Record<string, string>;
  QueryParameters?: Record<string, string>;
  RequestBody?: unknown;
}

const runtime = (cause: string) => new TaskFailure("States.Runtime", cause);

export class HttpTaskSim {
  private readonly connections = new Map<string, ConnectionParameters>();
  private readonly endpoints = new Map<string, Endpoint>();
  /** Every request that reached an endpoint, as the endpoint received it. */
  readonly requests: HttpRequest[] = [];

  /** An EventBridge connection, by ARN, with the parameters it adds. */
  connect(connectionArn: string, parameters: ConnectionParameters): void {
    this.connections.set(connectionArn, parameters);
  }

  /** An endpoint, by its URL without query. */
  serve(url: string, endpoint: Endpoint): void {
    this.endpoints.set(url, endpoint);
  }

  handles(resource: string): boolean {
    return resource === HTTP_INVOKE;
  }

  async answer(call: TaskCall): Promise<unknown> {
    const args = (call.arguments ?? {}) as InvokeArguments;
    const request = this.request(args, call.time);
    const endpoint = this.endpoints.get(request.url);
    if (!endpoint) throw new TaskFailure("States.Http.Socket", `no answer from ${request.url}`);
    this.requests.push(request);
    const response = await endpoint(request);
    if (response.status < 200 || response.status > 299) {
      throw new TaskFailure(`States.Http.StatusCode.${response.status}`, JSON.stringify(response.body));
    }
    return { StatusCode: response.status, StatusText: "OK", Headers: {}, ResponseBody: response.body };
  }

  /** The request as it leaves Step Functions: the task's parts merged with the connection's. */
  private request(args: InvokeArguments, time: Date): HttpRequest {
    if (typeof args.ApiEndpoint !== "string" || !args.ApiEndpoint.startsWith("https://")) {
      throw runtime(`ApiEndpoint must be an https:// URL, got ${String(args.ApiEndpoint)}`);
    }
    if (!METHODS.includes(String(args.Method)))
      throw runtime(`Method ${String(args.Method)} is not supported`);
    const connectionArn = args.Authentication?.ConnectionArn ?? args.InvocationConfig?.ConnectionArn;
    if (!connectionArn) throw runtime("an HTTP task needs a connection: Authentication.ConnectionArn");
    const connection = this.connections.get(connectionArn);
    if (!connection) {
      throw new TaskFailure("Events.ConnectionResource.ResourceNotFound", `no connection ${connectionArn}`);
    }
    const reserved = Object.keys({ ...args.Headers, ...connection.headers }).find((name) =>
      RESERVED.some((pattern) => pattern.test(name)),
    );
    if (reserved) throw runtime(`the header ${reserved} is not allowed in an HTTP task`);
    const bodies = connection.bodies ?? {};
    let body = args.RequestBody;
    if (Object.keys(bodies).length > 0) {
      if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
        throw runtime(
          "the RequestBody is not a JSON object, and the connection has body parameters to merge",
        );
      }
      body = { ...body, ...bodies };
    }
    const [url] = args.ApiEndpoint.split("?");
    return {
      url,
      method: String(args.Method),
      headers: { ...args.Headers, ...connection.headers },
      query: { ...args.QueryParameters, ...connection.queryStrings },
      body,
      connectionArn,
      time,
    };
  }
}
