import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  PriorityQuery,
  ProcessRunAccepted,
  ProcessRunListQuery,
  ProcessRunPage,
  ProcessRunRequest,
  ProcessRunStatus,
  RunIdParams,
} from "./process-run.schemas";
import type { ProcessRunService } from "./process-run.service";
import { PriorityReport } from "./run-report";

export const processRunRoutes: FastifyPluginAsyncZod<{ service: ProcessRunService }> = async (app, { service }) => {
  app.post(
    "/process-runs/",
    {
      config: { role: "operator" },
      schema: {
        tags: ["processing"],
        summary: "Start a processing run in the background; one run at a time",
        body: ProcessRunRequest,
        response: { 202: ProcessRunAccepted, 400: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const runId = await service.start(request.body);
      // A small database may already be done: report the status as stored, not an assumed RUNNING.
      const { status } = await service.status(runId);
      const statusUrl = `${app.prefix}/process-runs/${runId}/`;
      return reply.code(202).header("location", statusUrl).send({ run_id: runId, status, status_url: statusUrl });
    },
  );

  app.get(
    "/process-runs/",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["processing"],
        summary:
          "Processing runs, newest first, paged by cursor; each with its status and counters, without its report",
        querystring: ProcessRunListQuery,
        response: { 200: ProcessRunPage, 400: ErrorResponse },
      },
    },
    async (request) => service.list(request.query),
  );

  app.get(
    "/process-runs/:id/",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["processing"],
        summary: "A processing run's status, progress and, once finished, its report",
        params: RunIdParams,
        response: { 200: ProcessRunStatus, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => service.status(request.params.id),
  );

  app.get(
    "/debtors/priority/",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["debtors", "processing"],
        summary: "The top k debtors by priority (risk score × debt), in processing order; writes nothing",
        querystring: PriorityQuery,
        response: { 200: PriorityReport, 400: ErrorResponse },
      },
    },
    async (request) => service.priority(request.query.top),
  );
};
