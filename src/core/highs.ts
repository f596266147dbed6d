/**
 * The HiGHS solver (WebAssembly), loaded once per process and shared by every user (the
 * constrained least-squares fits and the hull's LP cross-check).
 */
import highsModule from 'highs';

type HighsLoader = typeof highsModule.default;
export type Highs = Awaited<ReturnType<HighsLoader>>;

let loading: Promise<Highs> | null = null;

export function loadHighs(): Promise<Highs> {
  // The package's types are CommonJS-flavoured while Node loads its ESM build: accept both shapes.
  const loader = ((highsModule as unknown as { default?: HighsLoader }).default ?? (highsModule as unknown as HighsLoader)) as HighsLoader;
  loading ??= loader();
  return loading;
}
