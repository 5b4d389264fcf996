/**
 * The renderer's Content-Security-Policy: one policy for the desktop window (meta tag and response
 * header) and the headless server (response header). The renderer's index.html repeats it as a meta
 * tag; a test checks they agree.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
