#!/usr/bin/env node
// The `scim-planner` command. The CLI is TypeScript run through tsx's loader, so it works right
// after `npm install` with no build step (issue: CLI runnable as `npx scim-planner`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
