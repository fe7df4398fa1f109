// The SPA runs in a browser. The root typecheck covers these files too, so they name the DOM
// library here rather than in the shared compiler options.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference types="vite/client" />
