import { useId, useMemo, useState } from 'react';

export interface PickOption {
  value: string;
  label: string;
  detail?: string;
}

/** A filterable checkbox list in a fieldset: conversations, senders. Values are ids (strings). */
export function MultiPick({
  legend,
  options,
  selected,
  onChange,
  emptyText = 'Nothing to pick from yet',
  maxShown = 200,
}: {
  legend: string;
  options: PickOption[];
  selected: string[];
  onChange: (next: string[]) => void;
  emptyText?: string;
  maxShown?: number;
}) {
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const chosen = useMemo(() => new Set(selected), [selected]);
  const needle = filter.trim().toLowerCase();
  const matching = options.filter((o) => needle === '' || o.label.toLowerCase().includes(needle) || (o.detail?.toLowerCase().includes(needle) ?? false));
  const shown = matching.slice(0, maxShown);

  return (
    <fieldset className="multipick">
      <legend>
        {legend}
        {selected.length > 0 && (
          <>
            {' '}
            <span className="badge">{selected.length} picked</span>{' '}
            <button type="button" className="link" onClick={() => onChange([])}>
              clear
            </button>
          </>
        )}
      </legend>
      <label htmlFor={filterId} className="visually-hidden">
        Filter {legend.toLowerCase()}
      </label>
      <input id={filterId} type="search" placeholder="Filter…" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <div className="multipick-list">
        {options.length === 0 && <p className="muted">{emptyText}</p>}
        {shown.map((option) => (
          <label key={option.value} className="check">
            <input type="checkbox" checked={chosen.has(option.value)} onChange={(e) => onChange(e.target.checked ? [...selected, option.value] : selected.filter((v) => v !== option.value))} />
            <span>{option.label}</span>
            {option.detail !== undefined && <span className="muted"> {option.detail}</span>}
          </label>
        ))}
        {matching.length > shown.length && <p className="muted">{matching.length - shown.length} more — narrow the filter</p>}
      </div>
    </fieldset>
  );
}
