/**
 * The line at the top of a meter's page saying where its data comes from: "Data from Watched folder
 * ‘DC drop’ · last received 27/11/2026 06:10 · next due 07:10" (amber when a feed is behind, red when
 * its last run failed), or "Imported by hand · last import 12/11/2026 (file.csv)".
 */
import { getClient } from '../../api/instance';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import '../../styles/sources.css';
import { useSourceEvents } from './SourceBits';
import { feedLine } from './words';

export function MeterFeedHeader({ mpan }: { mpan: string }) {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`feed:${mpan}:${version}`, () => getClient().call('meters.feed', { meter: mpan }));
  useSourceEvents(q.reload);
  const line = q.data ? feedLine(q.data, Date.now()) : null;
  if (!line) return null;
  return (
    <p className={`meter-feed meter-feed-${line.tone}`} data-testid="meter-feed">
      {line.sourceId !== null ? <a href={href.source(line.sourceId)}>{line.text}</a> : line.text}
    </p>
  );
}
