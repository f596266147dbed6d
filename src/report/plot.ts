/**
 * Figures: a Vega-Lite spec is compiled and rendered headless by Vega to SVG, and the SVG is
 * rasterized to PNG by resvg (a Rust renderer shipped inside its npm package, so no native
 * build and no browser). Every plot in celt (reports, CLI figures) goes through here.
 * The renderers are imported on first use: loading Vega alone takes ≈0.7 s, which every `celt`
 * command would otherwise pay at start-up whether it plots or not.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as VegaLite from 'vega-lite';

// vega-lite's TopLevelSpec is a deep union; plots are built as plain objects and checked by
// the compiler at run time, which reports bad specs with a clear message.
export type VegaLiteSpec = Record<string, unknown>;

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile({ background: 'white', ...spec } as VegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Render a spec and write `<base>.svg` and `<base>.png`; returns both paths. */
export async function writePlot(spec: VegaLiteSpec, base: string): Promise<{ svg: string; png: string }> {
  mkdirSync(dirname(base), { recursive: true });
  const svg = await renderSvg(spec);
  writeFileSync(`${base}.svg`, svg);
  writeFileSync(`${base}.png`, await svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
