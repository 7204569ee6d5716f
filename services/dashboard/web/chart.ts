// One ECharts instance per chart element, SVG-rendered; only the parts the views use are bundled.
import { BarChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart-options';

echarts.use([
  BarChart,
  GridComponent,
  TooltipComponent,
  AriaComponent,
  LegendComponent,
  MarkLineComponent,
  SVGRenderer,
]);

/**
 * Draws `option` into `el` (role=img, labelled by `label`); the table beside it is the text
 * alternative, so the chart's own parts are hidden from assistive technology.
 */
export function drawChart(el: HTMLElement, option: ChartOption, label: string, rows: number): void {
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  el.style.height = `${Math.max(160, 40 + rows * 32)}px`;
  const chart = echarts.getInstanceByDom(el) ?? echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption(option, { notMerge: true });
  chart.resize();
  // ECharts' aria writes its own label; ours (the same words) stays.
  el.setAttribute('aria-label', label);
  for (const child of Array.from(el.children)) child.setAttribute('aria-hidden', 'true');
}

export function disposeCharts(root: HTMLElement): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('.chart'))) {
    echarts.getInstanceByDom(el)?.dispose();
  }
}

window.addEventListener('resize', () => {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.chart'))) {
    echarts.getInstanceByDom(el)?.resize();
  }
});
