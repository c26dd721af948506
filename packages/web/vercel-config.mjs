// The routing of the dashboard deployed on Vercel on its own (Build Output API v3): the API paths
// are proxied to the Switchyard server, so the session cookie stays first-party; everything else
// is the SPA.

/** Paths the server answers; the browser calls them on the dashboard's own origin. */
export const PROXIED_PATHS = ['api', 'v1', 'otel', 'docs', 'health', 'ready'];

/** Reads `SWITCHYARD_API_URL`: an absolute http(s) URL without a trailing slash. */
export function apiUrlFrom(environment) {
  const value = environment.SWITCHYARD_API_URL?.trim();
  if (!value) {
    throw new Error(
      'SWITCHYARD_API_URL is not set: set it to your Switchyard server, e.g. https://switchyard.example.com',
    );
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SWITCHYARD_API_URL is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`SWITCHYARD_API_URL must be http(s), not ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** `.vercel/output/config.json` for a server at `apiUrl`. */
export function vercelOutputConfig(apiUrl) {
  return {
    version: 3,
    routes: [
      { src: `^/(${PROXIED_PATHS.join('|')})(/.*)?$`, dest: `${apiUrl}/$1$2` },
      {
        src: '^/assets/(.*)$',
        headers: { 'cache-control': 'public, max-age=31536000, immutable' },
        continue: true,
      },
      { handle: 'filesystem' },
      { src: '^/(.*)$', dest: '/index.html', headers: { 'cache-control': 'no-cache' } },
    ],
  };
}
