import http from 'node:http';

/**
 * The largest request head the server reads (request line, URL and headers together). Node's
 * default of 16 KiB cannot carry a 1,000-project what-if (`switch=CODE=ID` per project, about
 * 20 bytes each, sent by the fiscal page's form); longer heads get 431 from Node itself.
 */
export const MAX_HEADER_BYTES = 512 * 1024;

/** The HTTP server for the app (server.ts, tests): Node's, with room for long what-if addresses. */
export function createHttpServer(app: http.RequestListener): http.Server {
  return http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
}
