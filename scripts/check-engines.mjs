// Every installed package must run on the oldest Node.js we support (package.json "engines"), so
// that "runs on 20" stays true as dependencies move: several now require 22 and npm only warns.
// CI runs this after `npm ci` (which .npmrc's engine-strict already makes refuse the running Node).
import { readFileSync } from 'node:fs';
import semver from 'semver';

const root = JSON.parse(readFileSync('package.json', 'utf8'));
const oldest = semver.minVersion(root.engines.node).version;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const refusing = [];
for (const [where, entry] of Object.entries(lock.packages)) {
  const wanted = entry.engines?.node;
  // Optional platform builds (the WebAssembly fallback of native bindings) are never installed here.
  if (!where || !wanted || entry.optional) continue;
  if (!semver.satisfies(oldest, wanted) || !semver.satisfies(process.version, wanted)) {
    refusing.push(`${where.replace(/^node_modules\//, '')} needs Node ${wanted}`);
  }
}
if (refusing.length) {
  console.error(`These packages do not run on Node ${oldest} (our oldest) or ${process.version}:`);
  for (const line of refusing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`Every dependency runs on Node ${oldest} and ${process.version}.`);
