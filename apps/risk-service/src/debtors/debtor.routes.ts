import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  DebtorIdParams,
  DebtorInput,
  DebtorListQuery,
  DebtorPage,
  DebtorPatch,
  DebtorResponse,
  DebtorScoreResult,
  HighRiskQuery,
  StoredDebtorScore,
} from "./debtor.schemas";
import type { DebtorService } from "./debtor.service";

const tags = ["debtors"];
const clientErrors = { 400: ErrorResponse, 404: ErrorResponse };

/** Thin routes: the schemas validate, the service does the work, the reply is the schema's shape. */
export const debtorRoutes: FastifyPluginAsyncZod<{ service: DebtorService }> = async (app, { service }) => {
  app.get(
    "/debtors/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "List debtors in id order, filtered and paginated by cursor",
        querystring: DebtorListQuery,
        response: { 200: DebtorPage, 400: ErrorResponse },
      },
    },
    async (request) => service.list(request.query),
  );

  app.post(
    "/debtors/",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Create a debtor and score it at once",
        body: DebtorInput,
        response: { 201: DebtorResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(request.body)),
  );

  app.get(
    "/debtors/high-risk/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "HIGH and CRITICAL debtors, highest total score first",
        querystring: HighRiskQuery,
        response: { 200: DebtorPage, 400: ErrorResponse },
      },
    },
    async (request) => service.highRisk(request.query),
  );

  app.get(
    "/debtors/:id/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "One debtor with its current risk score",
        params: DebtorIdParams,
        response: { 200: DebtorResponse, ...clientErrors },
      },
    },
    async (request) => service.get(request.params.id),
  );

  app.put(
    "/debtors/:id/",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Replace a debtor's fields (omitted defaults apply) and re-score it",
        params: DebtorIdParams,
        body: DebtorInput,
        response: { 200: DebtorResponse, ...clientErrors },
      },
    },
    async (request) => service.replace(request.params.id, request.body),
  );

  app.patch(
    "/debtors/:id/",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Change some of a debtor's fields and re-score it",
        params: DebtorIdParams,
        body: DebtorPatch,
        response: { 200: DebtorResponse, ...clientErrors },
      },
    },
    async (request) => service.patch(request.params.id, request.body),
  );

  app.get(
    "/debtors/:id/score/",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "The debtor's stored risk score; writes nothing (404 while it has none)",
        params: DebtorIdParams,
        response: { 200: StoredDebtorScore, ...clientErrors },
      },
    },
    async (request) => service.storedScore(request.params.id),
  );

  app.post(
    "/debtors/:id/score/",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Calculate the debtor's risk score from its current data, save and return it",
        params: DebtorIdParams,
        response: { 200: DebtorScoreResult, ...clientErrors },
      },
    },
    async (request) => service.score(request.params.id),
  );
};
