import { useId, type ReactNode } from 'react';

/** A chart with its title and its data as a table (the text alternative), folded away by default. */
export function ChartCard({ title, summary, columns, rows, children }: { title: string; summary: string; columns: [string, string]; rows: [string, number][]; children: ReactNode }) {
  const id = useId();
  return (
    <figure className="chart-card" aria-labelledby={id}>
      <figcaption id={id} className="chart-title">
        {title}
      </figcaption>
      <div className="chart-area" role="img" aria-label={summary}>
        {children}
      </div>
      <details>
        <summary>Data table</summary>
        <table className="table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col" className="num">
                {columns[1]}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value], i) => (
              <tr key={`${label}-${i}`}>
                <td>{label}</td>
                <td className="num">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
