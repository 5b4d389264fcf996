import { useEffect, useRef } from 'react';
import type { HTMLAttributes } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { echarts } from './echarts';

type Props = { option: EChartsCoreOption; className?: string } & Omit<HTMLAttributes<HTMLDivElement>, 'children'> & Record<`data-${string}`, string | number>;

/** A container that owns one echarts instance: sized by CSS, resized with its box. */
export function EChart({ option, className, ...rest }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: false });
  }, [option]);

  return <div ref={el} className={className} {...rest} />;
}
