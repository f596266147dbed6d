/** A stderr progress bar (cli-progress) that stays silent when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export function progressBar(label: string, total: number): { update: (done: number) => void; stop: () => void } {
  if (!process.stderr.isTTY || process.env.CELT_NO_PROGRESS) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} {eta_formatted}`, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (d) => bar.update(d), stop: () => bar.stop() };
}
