#!/usr/bin/env node
// The `gatehouse` command. Gatehouse is written in TypeScript and runs through tsx's loader, so a
// checkout needs no build step: `npx gatehouse serve`, `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
