import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without type declarations
import { apiUrlFrom, vercelOutputConfig } from '../vercel-config.mjs';

type Route = { src?: string; dest?: string; headers?: Record<string, string>; handle?: string };

/** What Vercel does with a path: the first matching route with a destination, after `filesystem`. */
function destinationOf(routes: Route[], path: string, files: string[]): string | undefined {
  let filesystemChecked = false;
  for (const route of routes) {
    if (route.handle === 'filesystem') {
      filesystemChecked = true;
      if (files.includes(path)) return path;
      continue;
    }
    const match = route.src ? new RegExp(route.src).exec(path) : null;
    if (!match || !route.dest) continue;
    return route.dest.replace(/\$(\d)/g, (_all, index: string) => match[Number(index)] ?? '');
  }
  return filesystemChecked ? undefined : path;
}

describe('the dashboard on Vercel', () => {
  const { routes } = vercelOutputConfig('https://switchyard.example.com') as { routes: Route[] };
  const files = ['/index.html', '/assets/index-abc123.js'];

  it('sends the API, gateway and telemetry paths to the server, so cookies stay on one origin', () => {
    expect(destinationOf(routes, '/api/me', files)).toBe('https://switchyard.example.com/api/me');
    expect(destinationOf(routes, '/v1/chat/completions', files)).toBe(
      'https://switchyard.example.com/v1/chat/completions',
    );
    expect(destinationOf(routes, '/otel/v1/traces', files)).toBe('https://switchyard.example.com/otel/v1/traces');
    expect(destinationOf(routes, '/docs', files)).toBe('https://switchyard.example.com/docs');
  });

  it('serves built files as they are and every other path as the app', () => {
    expect(destinationOf(routes, '/assets/index-abc123.js', files)).toBe('/assets/index-abc123.js');
    expect(destinationOf(routes, '/requests/abc', files)).toBe('/index.html');
    expect(destinationOf(routes, '/apiary', files)).toBe('/index.html');
  });

  it('refuses to build without a usable SWITCHYARD_API_URL, saying which', () => {
    expect(() => apiUrlFrom({})).toThrow(/SWITCHYARD_API_URL is not set/);
    expect(() => apiUrlFrom({ SWITCHYARD_API_URL: 'switchyard.example.com' })).toThrow(/not a URL/);
    expect(() => apiUrlFrom({ SWITCHYARD_API_URL: 'ftp://example.com' })).toThrow(/http\(s\)/);
    expect(apiUrlFrom({ SWITCHYARD_API_URL: 'https://example.com/' })).toBe('https://example.com');
  });
});
