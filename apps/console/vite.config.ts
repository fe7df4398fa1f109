import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `pnpm dev:console` serves the SPA with hot reload and sends /api and /console to a running
// console server (`pnpm start:console`), so sign-in and the proxy behave as in production.
const consoleServer = process.env.CONSOLE_DEV_SERVER_URL ?? "http://127.0.0.1:3002";

export default defineConfig({
  root: resolve(import.meta.dirname, "src/web"),
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, "dist/web"),
    emptyOutDir: true,
    // Inlined assets would need data: URLs beyond images in the CSP.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": consoleServer, "/console": consoleServer },
  },
});
