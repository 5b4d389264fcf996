/**
 * Charts for reports: an ECharts option rendered to an SVG string on the server (ECharts' SSR mode,
 * no browser, no canvas), with animation off and the report's font, so the PDF and HTML show the same
 * drawing.
 */

import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

/** The font family charts ask for; the PDF renderer maps it to the embedded DejaVu Sans. */
export const CHART_FONT = 'DejaVu Sans, Verdana, sans-serif';

/** Renders `option` as an SVG document of `width` × `height` (CSS pixels = PDF points). */
export function chartSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
