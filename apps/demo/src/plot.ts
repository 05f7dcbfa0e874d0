import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './experiment.js';

/** Renders a vega-lite spec to an SVG string with vega's headless renderer (no canvas needed). */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 360, height: 220, ...spec } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
