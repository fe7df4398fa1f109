import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifySchema } from "fastify";
import fp from "fastify-plugin";
import { createJsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import { ErrorResponse } from "./http-errors";

export interface DocsOptions {
  title: string;
  version: string;
  description?: string;
}

/** The scheme's name in the OpenAPI document; the Swagger UI's Authorize button fills it. */
export const BEARER_SCHEME = "bearerAuth";

const zodTransform = createJsonSchemaTransform({ skipList: ["/metrics"] });
type TransformInput = Parameters<typeof zodTransform>[0];

/**
 * A route with a role is documented with the bearer scheme, its role (in the description and as
 * `x-required-role`) and its 401/403/429 answers.
 */
function withSecurity(input: TransformInput) {
  const role = input.route.config?.role;
  if (role === undefined) return zodTransform(input);
  const schema = (input.schema ?? {}) as FastifySchema & { description?: string; response?: Record<string, unknown> };
  const note = `Requires the role **${role}** or higher.`;
  const documented = zodTransform({
    ...input,
    schema: {
      ...schema,
      description: schema.description ? `${note}\n\n${schema.description}` : note,
      security: [{ [BEARER_SCHEME]: [] }],
      response: { 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse, ...schema.response },
    },
  });
  return { ...documented, schema: Object.assign({}, documented.schema, { "x-required-role": role }) };
}

/** The OpenAPI document built from the routes' zod schemas, at /docs/json, with Swagger UI at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance, options: DocsOptions) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: { title: options.title, version: options.version, description: options.description },
        components: {
          securitySchemes: {
            [BEARER_SCHEME]: {
              type: "http",
              scheme: "bearer",
              bearerFormat: "JWT",
              description: "A token from `pnpm cli auth issue-token` (local mode) or the identity provider (oidc mode)",
            },
          },
        },
      },
      transform: withSecurity,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: "/docs", uiConfig: { validatorUrl: null } });
  },
  { name: "smartrecover-docs" },
);
