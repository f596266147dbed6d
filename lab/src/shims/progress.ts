/** cli-progress for the browser lab: never drawn (the page has its own progress bar). */
class SingleBar {
  start(): void {}
  update(): void {}
  increment(): void {}
  stop(): void {}
  setTotal(): void {}
  getTotal(): number {
    return 0;
  }
}
export default { SingleBar, Presets: { shades_classic: {} } };
