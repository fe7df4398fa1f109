import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  AcknowledgeRequest,
  AssignRequest,
  BulkReviewRequest,
  BulkReviewResponse,
  CommentRequest,
  DiscrepancyCounts,
  DiscrepancyIdParams,
  DiscrepancyListQuery,
  DiscrepancyPage,
  DiscrepancyWithHistory,
  MAX_BULK_IDS,
  ResolveRequest,
} from "./discrepancy.schemas";
import type { DiscrepancyService } from "./discrepancy.service";
import { requestActor } from "./request-actor";

const tags = ["discrepancies"];
const reviewErrors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
// domain.md §9: viewers read, reviewers act.
const viewer = { role: "viewer" } as const;
const reviewer = { role: "reviewer" } as const;

/** Thin routes: the schema validates, the service does the work. */
export const discrepancyRoutes: FastifyPluginAsyncZod<{ service: DiscrepancyService }> = async (app, { service }) => {
  app.get(
    "/discrepancies/",
    {
      config: viewer,
      schema: {
        tags,
        summary: "The review queue: discrepancies filtered, sorted by age or priority, paged by offset or keyset",
        querystring: DiscrepancyListQuery,
        response: { 200: DiscrepancyPage, 400: ErrorResponse },
      },
    },
    async (request) => service.list(request.query, () => requestActor(request)),
  );

  app.get(
    "/discrepancies/counts/",
    {
      config: viewer,
      schema: {
        tags,
        summary: "Counts for the review queue's tabs: open, acknowledged, assigned to me, resolved, auto-resolved",
        response: { 200: DiscrepancyCounts },
      },
    },
    async (request) => service.counts(requestActor(request)),
  );

  app.post(
    "/discrepancies/bulk/",
    {
      config: reviewer,
      schema: {
        tags,
        summary: `Acknowledge, resolve (one note) or assign up to ${MAX_BULK_IDS} discrepancies; one result per id, never all or nothing`,
        body: BulkReviewRequest,
        response: { 200: BulkReviewResponse, 400: ErrorResponse },
      },
    },
    async (request) => service.bulk(request.body, requestActor(request)),
  );

  app.get(
    "/discrepancies/:id/",
    {
      config: viewer,
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
      config: reviewer,
      schema: {
        tags,
        summary: "Acknowledge an OPEN discrepancy (OPEN → ACKNOWLEDGED); the actor is the token's subject",
        params: DiscrepancyIdParams,
        body: AcknowledgeRequest,
        response: { 200: DiscrepancyWithHistory, ...reviewErrors },
      },
    },
    async (request) => service.acknowledge(request.params.id, request.body, requestActor(request)),
  );

  app.post(
    "/discrepancies/:id/resolve/",
    {
      config: reviewer,
      schema: {
        tags,
        summary:
          "Resolve an ACKNOWLEDGED discrepancy with a note (ACKNOWLEDGED → RESOLVED); with the four-eyes rule, not by whoever acknowledged it",
        params: DiscrepancyIdParams,
        body: ResolveRequest,
        response: { 200: DiscrepancyWithHistory, ...reviewErrors },
      },
    },
    async (request) => service.resolve(request.params.id, request.body, requestActor(request)),
  );

  app.post(
    "/discrepancies/:id/assign/",
    {
      config: reviewer,
      schema: {
        tags,
        summary: "Assign an unresolved discrepancy to a subject, or unassign it (null); an ASSIGNED audit event",
        params: DiscrepancyIdParams,
        body: AssignRequest,
        response: { 200: DiscrepancyWithHistory, ...reviewErrors },
      },
    },
    async (request) => service.assign(request.params.id, request.body.assignee, requestActor(request)),
  );

  app.post(
    "/discrepancies/:id/comments/",
    {
      config: reviewer,
      schema: {
        tags,
        summary: "Comment on a discrepancy in any state; a COMMENTED audit event",
        params: DiscrepancyIdParams,
        body: CommentRequest,
        response: { 201: DiscrepancyWithHistory, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.comment(request.params.id, request.body.note, requestActor(request))),
  );
};
