/**
 * Whether a URL is under /api/. Case-insensitive, so `/API/…` is treated as an API path too; the
 * auth plugin also guards any route that declares a role, whatever its URL.
 */
export function isApiPath(url: string): boolean {
  const path = (url.split("?")[0] ?? "").toLowerCase();
  return path === "/api" || path.startsWith("/api/");
}
