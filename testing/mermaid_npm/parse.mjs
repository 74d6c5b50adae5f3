// Parse Mermaid diagrams with Mermaid itself, many per process (start-up costs ~2 s).
//
// Usage: node parse.mjs PACKAGES_DIR   (PACKAGES_DIR holds node_modules/ with mermaid and jsdom)
// stdin:  one JSON array of diagram texts per line
// stdout: one JSON array per input line: {ok, type, config} or {ok: false, error}
// `config` is what the diagram's directives and front matter set: it must stay empty for ours.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const packages = process.argv[2];
const require = createRequire(join(packages, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const core = join(packages, 'node_modules', 'mermaid', 'dist', 'mermaid.core.mjs');
const { default: mermaid } = await import(pathToFileURL(core).href);
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const results = [];
  for (const text of JSON.parse(line)) {
    try {
      const parsed = await mermaid.parse(text);
      results.push({ ok: true, type: parsed.diagramType, config: parsed.config ?? {} });
    } catch (error) {
      results.push({ ok: false, error: String(error?.message ?? error).slice(0, 500) });
    }
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}
