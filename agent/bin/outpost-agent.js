#!/usr/bin/env node
// The agent is TypeScript run through tsx (a dependency), so one source runs everywhere
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');
