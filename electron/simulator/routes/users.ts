import { badRequest, notFound } from '../http/errors';
import { optionalEnum, optionalInt, pageLimit } from '../http/params';
import { jsonReply } from '../http/reply';
import type { User } from '../org/model';
import { userFull, userMinimal, userPickableFields } from '../org/shapes';
import { param, type ApiRequest, type ApiRoute } from './types';

/** U1/U2 (docs/cliq-api.md §7.1). */

const statuses = ['active', 'inactive', 'pending', 'imported_active', 'imported_inactive'] as const;
const SEVEN_DAYS = 7 * 86_400_000;

/** U1's parameters as read from the query string; undefined: the parameter was not sent. */
interface UserQuery {
  status?: string | undefined;
  search?: string | undefined;
  fields?: string | undefined;
  modifiedAfter?: number | undefined;
  planType?: string | undefined;
}

/** `fields`: `all`, or a comma list of the four pickable names. */
function parseUserFields(raw: string | undefined): 'all' | string[] {
  if (raw === undefined) return [];
  if (raw === 'all') return 'all';
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) if (!(userPickableFields as readonly string[]).includes(name)) throw badRequest(`unknown field ${name}`);
  return names;
}

function shapeUser(request: ApiRequest, user: User, fields: 'all' | string[], withZuid: boolean): Record<string, unknown> {
  const { org } = request.state;
  if (fields === 'all') return userFull(org, user, withZuid);
  const out = userMinimal(org, user);
  const full = userFull(org, user, false);
  for (const name of fields) out[name] = full[name];
  return out;
}

const listUsers: ApiRoute = {
  method: 'GET',
  path: '/api/v2/users',
  family: 'users.list',
  handle(request) {
    const { state, query, now } = request;
    const limit = pageLimit(query, state.options.defaultPageSize, state.options.limitOverMax);
    let offset = 0;
    let filters: UserQuery;
    const token = query.get('next_token');
    if (token !== null) {
      // The token carries the original filters; the ones repeated next to it are ignored.
      const decoded = state.cursors.decode(token, 'users');
      if (!decoded || typeof decoded.o !== 'number') throw badRequest('invalid next_token');
      offset = decoded.o;
      filters = decoded.q ?? {};
    } else {
      filters = {
        status: optionalEnum(query, 'status', statuses),
        search: query.get('search') ?? undefined,
        fields: query.get('fields') ?? undefined,
        modifiedAfter: optionalInt(query, 'modified_after'),
        planType: optionalEnum(query, 'plan_type', ['paid', 'free'] as const),
      };
      optionalEnum(query, 'sort_by', ['usage'] as const);
      if (filters.modifiedAfter !== undefined && filters.modifiedAfter < now - SEVEN_DAYS && state.options.usersModifiedAfterBeyondWindow === 'error') {
        throw badRequest('modified_after is older than 7 days');
      }
    }
    const fields = parseUserFields(filters.fields);
    const search = filters.search?.toLowerCase();
    // Only the last 7 days of attribute changes are kept (§7.1).
    const since = filters.modifiedAfter === undefined ? undefined : Math.max(filters.modifiedAfter, now - SEVEN_DAYS);
    const matching = state.org.users.filter(
      (u) =>
        (filters.status === undefined || u.status === filters.status) &&
        filters.planType !== 'free' &&
        (search === undefined || u.fullName.toLowerCase().includes(search) || u.displayName.toLowerCase().includes(search) || u.email.toLowerCase().includes(search)) &&
        (since === undefined || u.modifiedTime > since),
    );
    const page = matching.slice(offset, offset + limit);
    const hasMore = offset + limit < matching.length;
    const data = page.map((u) => shapeUser(request, u, fields, true));
    if (!hasMore) return jsonReply({ has_more: false, data });
    return jsonReply({ next_token: state.cursors.encode({ k: 'users', o: offset + limit, q: filters }), has_more: true, data });
  },
};

const getUser: ApiRoute = {
  method: 'GET',
  path: '/api/v2/users/{USER_ID}',
  family: 'users.get',
  handle(request) {
    const { org } = request.state;
    const key = param(request, 'USER_ID');
    const user = org.usersById.get(key) ?? org.users.find((u) => u.email === key.toLowerCase());
    if (!user) throw notFound();
    const raw = request.query.get('fields') ?? undefined;
    if (raw === 'chat_status') return jsonReply({ data: { ...user.presence } });
    const fields = parseUserFields(raw);
    const body: Record<string, unknown> = { data: shapeUser(request, user, fields, false) };
    // In the seed sample custom_attributes sits next to data, not inside it.
    if (fields === 'all' && user.customAttributes) body.custom_attributes = { ...user.customAttributes };
    return jsonReply(body);
  },
};

export const userRoutes: ApiRoute[] = [listUsers, getUser];
