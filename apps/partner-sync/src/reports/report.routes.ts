import { Readable } from "node:stream";
import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ReconciliationSummary, ReportQuery } from "./report.schemas";
import type { ReportService } from "./report.service";

export const reportRoutes: FastifyPluginAsyncZod<{ service: ReportService }> = async (app, { service }) => {
  app.get(
    "/summary/",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["reports"],
        summary: "Discrepancy counts by status and type, unresolved ageing, matched vs discrepancy totals",
        response: { 200: ReconciliationSummary },
      },
    },
    async () => service.summary(),
  );

  app.get(
    "/reports/reconciliation/",
    {
      config: { role: "reviewer" },
      schema: {
        tags: ["reports"],
        summary: "Export the discrepancies (filtered like the list) as CSV, or as JSON with the summary",
        querystring: ReportQuery,
        response: {
          200: z.string().describe("text/csv, or application/json: { generated_at, filters, summary, discrepancies }"),
          400: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const now = service.now();
      const stamp = now.toISOString().slice(0, 19).replaceAll(":", "-");
      reply
        .type(format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
        .header("content-disposition", `attachment; filename="reconciliation-report-${stamp}.${format}"`);
      // Streamed a page of rows at a time, so memory stays bounded for large exports. Fastify pipes
      // streams unserialized; the schema's string type only documents the body, hence the cast.
      const body = Readable.from(service.render(format, filter, now));
      return reply.send(body as unknown as string);
    },
  );
};
