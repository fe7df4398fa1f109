import { tableContents } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, startTestApi, type TestApi, WORKED_EXAMPLE } from "../api-fixtures";

const ONE_MIB = 1024 * 1024;

interface ErrorBody {
  status_code: number;
  code: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

// Size limits of the risk-service API, on the real app: each is enforced and the answer names
// the limit, so a client knows what to change. Nothing is written by a refused request.
describe("risk-service request limits", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi("sqlite", "sec_limits");
  });

  afterAll(() => api?.close());

  const get = async (url: string) => {
    const response = await api.inject({ url: `${API}${url}` });
    return { status: response.statusCode, body: response.json() as ErrorBody };
  };

  it.each([
    ["/debtors/?limit=1001", "limit", "1000"],
    ["/debtors/high-risk/?limit=1001", "limit", "1000"],
    ["/debtors/priority/?top=10001", "top", "10000"],
  ])("when %s asks for more than the maximum, then 400 names the field and the limit", async (url, field, limit) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.details).toEqual([{ location: "querystring", field, message: expect.stringContaining(limit) }]);
  });

  it("when a processing run asks for a batch above the maximum, then 400 names batch_size and the limit", async () => {
    const response = await api.inject({
      method: "POST",
      url: `${API}/process-runs/`,
      payload: { batch_size: 100_001 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      { location: "body", field: "batch_size", message: expect.stringContaining("100000") },
    ]);
  });

  it("when a name is longer than 255 characters, then 400 says so", async () => {
    const response = await api.inject({
      method: "POST",
      url: `${API}/debtors/`,
      payload: { ...WORKED_EXAMPLE, name: "x".repeat(256) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      { location: "body", field: "name", message: "must be at most 255 characters" },
    ]);
  });

  it("when a request body is over 1 MiB, then the answer is 413 in the common error shape and nothing is stored", async () => {
    const before = await tableContents(api.db);
    for (const method of ["POST", "PUT", "PATCH"] as const) {
      const url = method === "POST" ? `${API}/debtors/` : `${API}/debtors/1/`;
      const response = await api.inject({
        method,
        url,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ ...WORKED_EXAMPLE, name: "x".repeat(ONE_MIB) }),
      });
      expect(response.statusCode, method).toBe(413);
      expect(response.json()).toMatchObject({
        status_code: 413,
        error: "Payload Too Large",
        message: expect.any(String),
      });
    }
    // Just under the limit is read (and refused for its content, not its size).
    const under = await api.inject({
      method: "POST",
      url: `${API}/debtors/`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ ...WORKED_EXAMPLE, name: "x".repeat(ONE_MIB - 400) }),
    });
    expect(under.statusCode).toBe(400);
    expect(await tableContents(api.db)).toEqual(before);
  });
});
