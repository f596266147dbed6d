/** node:path (POSIX) for the browser lab's in-memory file system: the functions the library calls. */
export const sep = '/';

function normalize(p: string, keepTrailingSlash = false): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const r = (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
  return keepTrailingSlash && p.endsWith('/') && !r.endsWith('/') ? `${r}/` : r;
}

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

export function join(...parts: string[]): string {
  return normalize(parts.filter(Boolean).join('/'), true);
}

export function resolve(...parts: string[]): string {
  let r = '';
  for (const p of parts) r = isAbsolute(p) ? p : `${r}/${p}`;
  return normalize(isAbsolute(r) ? r : `/${r}`);
}

export function dirname(p: string): string {
  const n = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = n.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : n.slice(0, i);
}

export function basename(p: string, ext?: string): string {
  const b = p.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
}

export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean), b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export default { sep, isAbsolute, join, resolve, dirname, basename, extname, relative };
