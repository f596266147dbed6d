#!/usr/bin/env node
// The CLI is written in TypeScript; tsx's loader lets the installed binary run the sources
// directly, so there is no build step between `npm ci` and `celt`.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
