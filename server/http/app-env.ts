import type { Principal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
    /** The signed-in account, on routes behind `authenticate`. */
    user: UserRecord;
  };
}
