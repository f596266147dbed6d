/**
 * The `process` global for the browser lab (esbuild `inject`): the library asks for the
 * working directory (paths in messages) and the environment; `versions` is left out so
 * packages that test for Node (HiGHS's loader) take their browser path.
 */
export const process = {
  cwd: () => '/',
  env: {} as Record<string, string | undefined>,
  platform: 'browser',
  argv: [] as string[],
  stderr: { write: (s: string) => console.warn(s.trimEnd()), isTTY: false },
  stdout: { write: (s: string) => console.log(s.trimEnd()), isTTY: false },
  on: () => undefined,
  off: () => undefined,
  exitCode: 0,
};
