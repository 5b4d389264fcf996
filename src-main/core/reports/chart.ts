/**
 * Charts for reports: an ECharts option rendered to an SVG string on the server (ECharts' SSR mode,
 * no browser, no canvas), with animation off and the report's font, so the PDF and HTML show the same
 * drawing. Only the parts reports use are loaded (bar and line charts, grid, legend, the SVG renderer).
 */

import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

/** The chart options a report can draw. */
export type ReportChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption
>;

/** The font family charts ask for; the PDF renderer maps it to the embedded DejaVu Sans. */
export const CHART_FONT = 'DejaVu Sans, Verdana, sans-serif';

/** Renders `option` as an SVG document of `width` × `height` (CSS pixels = PDF points). */
export function chartSvg(option: ReportChartOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
