/**
 * Path templates (`/api/v2/chats/{chat_id}/messages`) matched segment by segment. Each captured
 * segment is percent-decoded once, so `1719000000000%20660000000009` arrives as a space-separated id
 * and a double-encoded `%2520` as a literal `%20` (both accepted by the message lookup).
 */

export interface RouteShape {
  method: string;
  path: string;
}

export type Match<R extends RouteShape> = { kind: 'ok'; route: R; params: Record<string, string> } | { kind: 'method'; route: R } | { kind: 'none' } | { kind: 'bad' };

interface Compiled<R> {
  route: R;
  segments: string[];
}

export class Router<R extends RouteShape> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: readonly R[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  }

  match(method: string, pathname: string): Match<R> {
    const raw = pathname.split('/').slice(1);
    let wrongMethod: R | null = null;
    for (const { route, segments } of this.compiled) {
      if (segments.length !== raw.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const template = segments[i] as string;
        const actual = raw[i] as string;
        if (template.startsWith('{')) {
          if (actual.length === 0) ok = false;
          else {
            try {
              params[template.slice(1, -1)] = decodeURIComponent(actual);
            } catch {
              return { kind: 'bad' };
            }
          }
        } else if (template !== actual) ok = false;
      }
      if (!ok) continue;
      if (route.method === method) return { kind: 'ok', route, params };
      wrongMethod ??= route;
    }
    return wrongMethod ? { kind: 'method', route: wrongMethod } : { kind: 'none' };
  }
}
