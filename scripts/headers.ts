// HTTP headers wherever the app is served. Cross-origin isolation (COOP + COEP) lets onnxruntime-web use wasm
// threads; the production Content-Security-Policy allows only this origin's code, plus compiling WebAssembly.

const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PRODUCTION: Record<string, string> = {
  ...CROSS_ORIGIN_ISOLATION,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self), geolocation=(self), usb=(self), serial=(self), microphone=()',
};

export const SECURITY_HEADERS = {
  production: PRODUCTION,
  // The dev server injects inline scripts for hot reload, so it gets isolation but not the strict CSP.
  dev: { ...CROSS_ORIGIN_ISOLATION },
};
