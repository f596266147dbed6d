/**
 * The HiGHS solver (WebAssembly), loaded once per process on first request and shared by every
 * user (the constrained least-squares fits, the hull's LP cross-check, ground-state MILPs). The
 * package is imported dynamically: a command that never solves an LP/QP does not pay its
 * start-up (≈ 0.2 s). Synchronous code (an estimator's fit) reads the instance with
 * `loadedHighs()` after its caller awaited `loadHighs()` (fit/registry.ts prepareMethod).
 */
import type highsModule from 'highs';

type HighsLoader = typeof highsModule.default;
export type Highs = Awaited<ReturnType<HighsLoader>>;

let loading: Promise<Highs> | null = null;
let instance: Highs | undefined;

export function loadHighs(): Promise<Highs> {
  loading ??= import('highs').then(async (m) => {
    // The package's types are CommonJS-flavoured while Node loads its ESM build: accept both shapes.
    const loader = ((m as unknown as { default?: HighsLoader }).default ?? (m as unknown as HighsLoader)) as HighsLoader;
    instance = await loader();
    return instance;
  });
  return loading;
}

/** The solver if loadHighs() has finished, else undefined. */
export function loadedHighs(): Highs | undefined {
  return instance;
}
