#!/usr/bin/env -S node --max-semi-space-size=64
// The `gatehouse` command. Gatehouse is written in TypeScript and runs through tsx's loader, so a
// checkout needs no build step: `npx gatehouse serve`, `npm start`.
// Node runs with a 64 MB young generation, as `npm start` does (README, Configuration).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
