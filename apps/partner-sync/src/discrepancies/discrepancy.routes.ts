import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  AcknowledgeRequest,
  DiscrepancyIdParams,
  DiscrepancyListQuery,
  DiscrepancyPage,
  DiscrepancyWithHistory,
  ResolveRequest,
} from "./discrepancy.schemas";
import type { DiscrepancyService } from "./discrepancy.service";

const tags = ["discrepancies"];
const reviewErrors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** Thin routes: the schema validates, the service does the work. */
export const discrepancyRoutes: FastifyPluginAsyncZod<{ service: DiscrepancyService }> = async (app, { service }) => {
  app.get(
    "/discrepancies/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "List discrepancies, oldest first, filtered by status, type and age, one page at a time",
        querystring: DiscrepancyListQuery,
        response: { 200: DiscrepancyPage, 400: ErrorResponse },
      },
    },
    async (request) => service.list(request.query),
  );

  app.get(
    "/discrepancies/:id/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "One discrepancy with its audit history",
        params: DiscrepancyIdParams,
        response: { 200: DiscrepancyWithHistory, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => service.get(request.params.id),
  );

  app.post(
    "/discrepancies/:id/acknowledge/",
    {
      config: { role: "reviewer" },
      schema: {
        tags,
        summary: "Acknowledge an OPEN discrepancy (OPEN → ACKNOWLEDGED); the actor is the token's subject",
        params: DiscrepancyIdParams,
        body: AcknowledgeRequest,
        response: { 200: DiscrepancyWithHistory, ...reviewErrors },
      },
    },
    async (request) => service.acknowledge(request.params.id, request.body, request.principal.subject),
  );

  app.post(
    "/discrepancies/:id/resolve/",
    {
      config: { role: "reviewer" },
      schema: {
        tags,
        summary:
          "Resolve an ACKNOWLEDGED discrepancy with a note (ACKNOWLEDGED → RESOLVED); with the four-eyes rule, not by whoever acknowledged it",
        params: DiscrepancyIdParams,
        body: ResolveRequest,
        response: { 200: DiscrepancyWithHistory, ...reviewErrors },
      },
    },
    async (request) => service.resolve(request.params.id, request.body, request.principal.subject),
  );
};
