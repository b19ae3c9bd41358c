import type { Principal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import type { AgentDeviceRecord } from '../store/agents.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
    /** The signed-in account, on routes behind `authenticate`. */
    user: UserRecord;
    /** The enrolled device, on agent routes. */
    agentDevice: AgentDeviceRecord;
  };
}
