import { startSimulator, type Credentials, type RunningSimulator, type SimulatorOptionsInput } from '../../../electron/simulator';

/** Helpers shared by the simulator's integration tests: real HTTP, loopback, OS-chosen ports. */

export async function start(options: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  return startSimulator({ scale: 'tiny', clock: 'manual', ...options });
}

export async function refresh(sim: RunningSimulator, credentials: Credentials = sim.admin): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    refresh_token: credentials.refreshToken,
  });
  const response = await fetch(`${sim.accountsBase}/oauth/v2/token`, { method: 'POST', body });
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`refresh failed: ${JSON.stringify(json)}`);
  return json.access_token;
}

export function get(sim: RunningSimulator, token: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.apiBase}${path}`, { headers: { Authorization: `Zoho-oauthtoken ${token}`, ...headers } });
}

/** A JSON answer; tests cast `body` to the shape they assert on. */
export async function getJson(sim: RunningSimulator, token: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await get(sim, token, path);
  return { status: response.status, body: await response.json() };
}

export async function control(sim: RunningSimulator, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.apiBase}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
