// Every route module, registered in one list so the HTTP surface is visible at a glance.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';

export async function registerRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {
}
