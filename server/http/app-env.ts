import type { Principal } from '../auth/principal.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
  };
}
