import { channelRoutes } from '../routes/channels';
import { chatRoutes } from '../routes/chats';
import { directoryRoutes } from '../routes/directory';
import { fileRoutes } from '../routes/files';
import { maintenanceRoutes } from '../routes/maintenance';
import { mediaRoutes } from '../routes/media';
import { messageActionRoutes } from '../routes/messageActions';
import { messageRoutes } from '../routes/messages';
import { threadRoutes } from '../routes/threads';
import type { ApiRoute } from '../routes/types';
import { userRoutes } from '../routes/users';
import type { SimState } from '../state';
import { errorReply, HttpError } from './errors';
import type { Reply } from './reply';
import { Router } from './router';

/** Every route of the Cliq host (/api/v2, /maintenanceapi/v2): the listener's and the in-process answer's. */
export const apiRouter = new Router<ApiRoute>([
  ...maintenanceRoutes,
  ...userRoutes,
  ...channelRoutes,
  ...chatRoutes,
  ...threadRoutes,
  ...messageRoutes,
  ...messageActionRoutes,
  ...fileRoutes,
  ...directoryRoutes,
  ...mediaRoutes,
]);

/**
 * What the Cliq host answers `viewer` for a GET of `path` (with its query), computed in process:
 * the route's own handler, without the listener's token, scope, quota, hold, fault or latency
 * steps. The request is counted like one over HTTP. For benches that feed a big org's pages to the
 * client with no socket in between.
 */
export function answerInProcess(state: SimState, path: string, viewer: number): Reply {
  const url = new URL(path, 'http://127.0.0.1');
  const match = apiRouter.match('GET', url.pathname);
  if (match.kind === 'none') return errorReply(404);
  if (match.kind === 'bad') return errorReply(400);
  state.stats.requests[match.route.family]++;
  if (match.kind === 'method') return errorReply(405);
  try {
    return match.route.handle({ state, params: match.params, query: url.searchParams, viewer, now: state.clock.now(), headers: {} });
  } catch (error) {
    // As the listener does; anything else is a simulator bug and must surface.
    if (error instanceof HttpError) return errorReply(error.status, error.extra);
    throw error;
  }
}
