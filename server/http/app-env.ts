import type { Principal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import type { AgentDeviceRecord } from '../store/agents.ts';
import type { Edge } from './edge.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
    /** The signed-in account, on routes behind `authenticate`. */
    user: UserRecord;
    /** The enrolled device, on agent routes. */
    agentDevice: AgentDeviceRecord;
    /** The public origin and trusted proxies, on every route (see useEdge). */
    edge: Edge;
    /** Names the request in logs and in the X-Request-Id response header. */
    requestId: string;
  };
}
