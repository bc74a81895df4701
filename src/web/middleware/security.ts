import helmet from 'helmet';

/**
 * Security headers. The content security policy allows only this server's scripts and styles:
 * pages carry no inline script or style; chart data travels as JSON in
 * `<script type="application/json">` blocks, which are data, not code. chart.js 4 draws on
 * canvas and sets sizes through the CSSOM, which style-src does not govern.
 * `upgrade-insecure-requests` is left out: the app is often served over plain HTTP inside a
 * closed network, where upgrading every request to HTTPS would break the pages.
 */
export function securityHeaders(https: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only when the app is served over HTTPS (secure cookies): on a plain-HTTP intranet
    // host it would be ignored at best and lock users out of a mixed deployment at worst.
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
