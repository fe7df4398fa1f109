import type { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import { ErrorResponse, NotFoundError } from "@smartrecover/service-kit";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { outcomeBody } from "./import-outcome-body";
import {
  PartnerBookDuplicate,
  PartnerBookIdParams,
  PartnerBookImport,
  PartnerBookImportAccepted,
  PartnerBookImportPage,
  PartnerBookImportQuery,
  PartnerBookListQuery,
  PartnerBookRefused,
} from "./partner-book.schemas";
import type { PartnerBookService } from "./partner-book-import.service";

const tags = ["partner books"];
const CSV_TYPES = ["text/csv", "application/csv", "application/octet-stream"];

/** Who acts: the token's subject once authentication is on; before that, nobody is known. */
function actorOf(request: FastifyRequest): string {
  try {
    return request.principal?.subject ?? "anonymous";
  } catch {
    return "anonymous";
  }
}

export const partnerBookRoutes: FastifyPluginAsyncZod<{ service: PartnerBookService }> = async (app, { service }) => {
  // The body is streamed to the reader as it arrives, never buffered: the reader enforces
  // PARTNER_BOOK_MAX_BYTES itself (Fastify's bodyLimit applies only to bodies it parses).
  app.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { files: 1, fields: 0, fileSize: service.maxBytes + 1 } });

  app.post(
    "/partner-books/",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary:
          "Import a partner book file (domain.md §10) as text/csv or a multipart upload; all or nothing, then re-reconcile",
        querystring: PartnerBookImportQuery,
        consumes: ["text/csv", "multipart/form-data"],
        response: {
          201: PartnerBookImportAccepted,
          400: ErrorResponse,
          409: PartnerBookDuplicate,
          413: ErrorResponse,
          415: ErrorResponse,
          422: PartnerBookRefused,
        },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > service.maxBytes + 64 * 1024) {
        const { status, body } = outcomeBody({ kind: "too-large", maxBytes: service.maxBytes, bytesRead: 0 });
        reply.header("connection", "close");
        return reply.code(status).send(body as never);
      }
      let source: Readable;
      let totalBytes: number | null = Number.isFinite(declared) ? declared : null;
      if (request.isMultipart()) {
        const file = await request.file();
        if (!file) {
          return reply.code(400).send({
            status_code: 400,
            error: "Bad Request",
            code: "NO_FILE",
            message: "the multipart upload holds no file",
          });
        }
        source = file.file;
        totalBytes = null;
      } else {
        source = request.body as Readable;
      }
      const outcome = await service.importFile(source, {
        partnerName: request.query.partner,
        importedBy: actorOf(request),
        totalBytes,
      });
      const { status, body } = outcomeBody(outcome);
      if (outcome.kind === "too-large") reply.header("connection", "close");
      return reply.code(status).send(body as never);
    },
  );

  app.get(
    "/partner-books/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Accepted partner book imports, newest first",
        querystring: PartnerBookListQuery,
        response: { 200: PartnerBookImportPage, 400: ErrorResponse },
      },
    },
    async (request) => {
      const items = await service.list(request.query);
      const last = items[items.length - 1];
      return { items, next_before: items.length === request.query.limit && last ? last.id : null };
    },
  );

  app.get(
    "/partner-books/:id/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "One partner book import: summary, counts, who imported it",
        params: PartnerBookIdParams,
        response: { 200: PartnerBookImport, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const found = await service.get(request.params.id);
      if (!found) throw new NotFoundError(`no partner book import ${request.params.id}`);
      return found;
    },
  );
};
