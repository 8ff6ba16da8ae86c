const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hours = Array.from({ length: 24 }, (_, h) => h);

/** Messages by weekday × hour as a CSS grid; each cell names its count for screen readers. */
export function ActivityHeatmap({ heatmap }: { heatmap: number[][] }) {
  const max = Math.max(1, ...heatmap.flat());
  return (
    <div className="heatmap" role="grid" aria-label="Messages by weekday and hour">
      <div role="row" className="heatmap-row">
        <span role="columnheader" className="heatmap-corner" />
        {hours.map((h) => (
          <span key={h} role="columnheader" className="heatmap-hour">
            {h % 3 === 0 ? String(h).padStart(2, '0') : ''}
          </span>
        ))}
      </div>
      {days.map((day, d) => (
        <div key={day} role="row" className="heatmap-row">
          <span role="rowheader" className="heatmap-day">
            {day}
          </span>
          {hours.map((h) => {
            const count = heatmap[d]?.[h] ?? 0;
            // Five steps of one hue: readable in both themes, and the label carries the number.
            const level = count === 0 ? 0 : Math.min(4, Math.ceil((count / max) * 4));
            return (
              <span
                key={h}
                role="gridcell"
                className={`heatmap-cell level-${level}`}
                aria-label={`${day} ${String(h).padStart(2, '0')}:00 — ${count} messages`}
                title={`${day} ${String(h).padStart(2, '0')}:00 — ${count}`}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}
