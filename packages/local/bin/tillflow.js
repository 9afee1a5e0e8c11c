#!/usr/bin/env node
// The `tillflow` command: runs the TypeScript CLI in this process through tsx's loader. The servers that need Node
// flags (s3rver: --openssl-legacy-provider) run in a storage process started with them, so none are needed here.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/cli.ts');
