import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { createJsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

export interface DocsOptions {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI document built from the routes' zod schemas, at /docs/json, with Swagger UI at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance, options: DocsOptions) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: { title: options.title, version: options.version, description: options.description },
      },
      transform: createJsonSchemaTransform({ skipList: ["/metrics"] }),
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  },
  { name: "smartrecover-docs" },
);
