// Every route module, registered in one list so the HTTP surface is visible at a glance.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { tokensRoutes } from './tokens/tokens-routes.ts';
import { operatorRoutes } from './operator/operator-routes.ts';
import { adminUsersRoutes } from './admin-users/admin-users-routes.ts';
import { aiUsageRoutes } from './ai-usage/ai-usage-routes.ts';
import { aiConfigRoutes } from './ai-config/ai-config-routes.ts';
import { adminConsoleRoutes } from './admin-console/admin-console-routes.ts';
import { webRoutes } from './web/web-routes.ts';
import { chatRoutes } from './chat/chat-routes.ts';

export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await authRoutes(app, ctx);
  await tokensRoutes(app, ctx);
  await operatorRoutes(app, ctx);
  await adminUsersRoutes(app, ctx);
  await aiUsageRoutes(app, ctx);
  await aiConfigRoutes(app, ctx);
  await adminConsoleRoutes(app, ctx);
  await chatRoutes(app, ctx);
  // Keep LAST: the web app's catch-all GET /* must not shadow any API route.
  await webRoutes(app, ctx);
}
