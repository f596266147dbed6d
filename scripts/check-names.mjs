#!/usr/bin/env node
// Issue 10's two shape checks over src/: (1) every exported name is declared in one module only
// (the CLI's per-command `register` excepted); (2) functions and methods longer than a limit
// (default 100 lines) whose comment above (within 6 lines) gives no reason ("Kept as one function"). Exit 1 if (1) finds
// anything; (2) is a report. Usage: node scripts/check-names.mjs [--max 100] [--skip src/fit/l0]
// A heuristic over Biome-formatted code: a declaration ends at the first line holding only `}`
// (or `};`) at its own indentation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const args = process.argv.slice(2);
const max = Number(args[args.indexOf('--max') + 1] ?? 100) || 100;
const skip = args.includes('--skip') ? args[args.indexOf('--skip') + 1] : null;

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const decl = /^export (?:declare )?(?:async )?(?:abstract )?(?:function\*?|class|interface|type|const|let|enum) +([A-Za-z_$][\w$]*)/;
const fnStart = /^(\s*)(?:export )?(?:default )?(?:async )?(?:function\*? +([\w$]+)|(?:(?:public|private|protected|static|async|readonly|override) +)*([\w$]+) *(?:<[^>]*>)?\(.*\{$|(?:const|let) +([\w$]+)(?:: [^=]+)? = (?:async )?(?:\([^)]*\)|[\w$]+)(?:: [^=]+)? => \{$)/;
const owners = new Map();
const long = [];
for (const file of files(join(root, 'src'))) {
  const rel = relative(root, file);
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const d = decl.exec(line);
    if (d && !(d[1] === 'register' && rel.startsWith('src/cli/commands/'))) owners.set(d[1], [...(owners.get(d[1]) ?? []), rel]);
    const f = fnStart.exec(line);
    const name = f && (f[2] ?? f[3] ?? f[4]);
    if (!f || !name || ['if', 'for', 'while', 'switch', 'catch', 'constructor'].includes(name) || (skip && rel.startsWith(skip))) return;
    const indent = f[1];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^${indent}\\}[;,)]*\\s*$`).test(lines[end])) end++;
    const n = end - i + 1;
    if (n > max && !/Kept as one function/.test(lines.slice(Math.max(0, i - 6), i).join(' '))) long.push(`${rel}:${i + 1} ${name} (${n} lines)`);
  });
}
const dups = [...owners].filter(([, fs]) => new Set(fs).size > 1);
for (const [name, fs] of dups) console.log(`exported twice: ${name}: ${[...new Set(fs)].join(', ')}`);
for (const l of long) console.log(`over ${max} lines: ${l}`);
if (dups.length === 0) console.log('every exported name has one definition');
process.exitCode = dups.length ? 1 : 0;
