import { useEffect, useRef } from 'react';
import type { HTMLAttributes } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { echarts } from './echarts';

export type ChartInstance = ReturnType<typeof echarts.init>;

type Props = { option: EChartsCoreOption; className?: string; onReady?: (chart: ChartInstance | null) => void } & Omit<
  HTMLAttributes<HTMLDivElement>,
  'children'
> &
  Record<`data-${string}`, string | number>;

/** A container that owns one echarts instance: sized by CSS, resized with its box. */
export function EChart({ option, className, onReady, ...rest }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const ready = useRef(onReady);
  ready.current = onReady;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.current = c;
    ready.current?.(c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      ready.current?.(null);
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: false });
  }, [option]);

  return <div ref={el} className={className} {...rest} />;
}
