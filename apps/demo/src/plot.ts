import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './experiment.js';

/** Default plot size: large enough for axis titles and legends not to collide. */
export const PLOT_SIZE = { width: 520, height: 300 };

/** Renders a vega-lite spec to an SVG string with vega's headless renderer (no canvas needed). */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const composite = 'vconcat' in spec || 'hconcat' in spec || 'facet' in spec || 'concat' in spec;
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...(composite ? {} : PLOT_SIZE), ...spec } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
