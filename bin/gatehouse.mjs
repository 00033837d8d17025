#!/usr/bin/env -S node --max-semi-space-size=64
// The `gatehouse` command. Gatehouse is written in TypeScript and runs through tsx's loader, so a
// checkout needs no build step: `./bin/gatehouse.mjs report`, `npm run gatehouse -- report`,
// `npm start`; `npm link` puts `gatehouse` on the PATH. (Not `npx gatehouse`: outside a checkout
// npx fetches an unrelated package of that name from the npm registry.)
// Node runs with a 64 MB young generation, as `npm start` does (README, Configuration).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
