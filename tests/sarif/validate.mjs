// Validates SARIF files against the official SARIF 2.1.0 schema (the schemastore copy of
// the final 2.1.0 schema that Microsoft's sarif-js-sdk ships in @microsoft/jest-sarif),
// plus what GitHub code scanning needs beyond the schema:
//   - every result can be placed: a physicalLocation region or a logicalLocations entry;
//   - artifact URIs carry no query or fragment (a '#' or '?' in a file name must be
//     percent-encoded) and relative ones name %SRCROOT%, which the run defines;
//   - partialFingerprints never hold the per-secret hash.
// Usage: node validate.mjs FILE.sarif...   Exit 1 on the first file with problems.
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// unicodeRegExp off: the schema's "language" pattern has a stray ']' that only non-Unicode
// regular expressions accept (as the draft-04 validators of its day did).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function placementProblems(log) {
  const problems = [];
  for (const [r, run] of (log.runs ?? []).entries()) {
    const bases = run.originalUriBaseIds ?? {};
    for (const [i, res] of (run.results ?? []).entries()) {
      const at = `runs[${r}].results[${i}]`;
      const locs = res.locations ?? [];
      if (locs.length === 0) problems.push(`${at}: no locations`);
      for (const loc of locs) {
        const phys = loc.physicalLocation;
        const placed = (phys && phys.region) || (loc.logicalLocations ?? []).length > 0;
        if (!placed) problems.push(`${at}: neither a region nor a logicalLocations entry`);
        if (!phys) continue;
        const { uri, uriBaseId } = phys.artifactLocation ?? {};
        if (typeof uri !== 'string' || uri === '') {
          problems.push(`${at}: artifactLocation.uri missing`);
          continue;
        }
        if (uri.includes('#') || uri.includes('?') || /\s/.test(uri)) {
          problems.push(`${at}: uri '${uri}' not percent-encoded`);
        }
        if (uri.startsWith('./') || uri.includes('/./') || uri.includes('//') && !uri.startsWith('file:///')) {
          problems.push(`${at}: uri '${uri}' not normalised`);
        }
        if (uriBaseId !== undefined && !(uriBaseId in bases)) {
          problems.push(`${at}: uriBaseId '${uriBaseId}' not in run.originalUriBaseIds`);
        }
        if (uriBaseId === undefined && !uri.startsWith('file:///')) {
          problems.push(`${at}: relative uri '${uri}' without a uriBaseId`);
        }
      }
      for (const v of Object.values(res.partialFingerprints ?? {})) {
        if (typeof v === 'string' && v.length > 16) problems.push(`${at}: fingerprint too long`);
      }
    }
  }
  return problems;
}

let failed = false;
let results = 0;
for (const file of process.argv.slice(2)) {
  let log;
  try {
    log = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed = true;
    continue;
  }
  const problems = [];
  if (!validate(log)) {
    for (const e of validate.errors) problems.push(`schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
  problems.push(...placementProblems(log));
  if (JSON.stringify(log).includes('secret_hash')) problems.push('secret_hash in SARIF');
  const n = (log.runs ?? []).reduce((a, run) => a + (run.results ?? []).length, 0);
  results += n;
  if (problems.length > 0) {
    failed = true;
    console.error(`${file}: INVALID`);
    for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
  } else {
    console.log(`${file}: valid SARIF 2.1.0 (${n} results)`);
  }
}
console.log(`${process.argv.length - 2} files, ${results} results`);
process.exit(failed ? 1 : 0);
