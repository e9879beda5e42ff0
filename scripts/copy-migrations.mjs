// The compiled server finds its migrations beside it (server/db/client.ts resolves ./migrations).
import { cpSync } from 'node:fs';

cpSync('server/db/migrations', 'dist/server/db/migrations', { recursive: true });
