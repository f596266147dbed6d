/**
 * Progress reporting for long steps (workflow, CV, searches), always on stderr so stdout stays the summary.
 * On a terminal: a cli-progress bar per step; otherwise (CI logs, tests, pipes): one line when
 * a step starts and one when it ends, because redrawn bars turn into pages of noise in a log.
 */
import cliProgress from 'cli-progress';

export interface Step {
  tick(n?: number): void;
  /** Absolute progress, for workers that report "done of total" (the total may change). */
  set(done: number, total: number): void;
  done(note?: string): void;
}

export interface Progress {
  step(label: string, total: number): Step;
  log(line: string): void;
}

export function consoleProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && !process.env.CELT_NO_PROGRESS;
  return {
    log(line: string) {
      if (!opts.quiet) stream.write(`${line}\n`);
    },
    step(label: string, total: number): Step {
      const t0 = performance.now();
      const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
      if (opts.quiet) return { tick() {}, set() {}, done() {} };
      if (!tty || total <= 1) {
        stream.write(`${label} …\n`);
        return { tick() {}, set() {}, done: (note?: string) => stream.write(`${label}: done in ${secs()} s${note ? ` — ${note}` : ''}\n`) };
      }
      const bar = new cliProgress.SingleBar(
        { stream, format: `${label.padEnd(26)} [{bar}] {value}/{total}  {duration_formatted} (eta {eta_formatted})`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        tick: (n = 1) => bar.increment(n),
        set: (done: number, t: number) => {
          if (t !== bar.getTotal()) bar.setTotal(t);
          bar.update(done);
        },
        done: (note?: string) => {
          bar.stop();
          stream.write(`${label}: done in ${secs()} s${note ? ` — ${note}` : ''}\n`);
        },
      };
    },
  };
}

export const silentProgress: Progress = { step: () => ({ tick() {}, set() {}, done() {} }), log() {} };
