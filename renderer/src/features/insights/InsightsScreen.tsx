import { useState } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/ApiContext';
import { ConversationSelect } from '../../components/ConversationSelect';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatCount } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import { ActivityHeatmap } from './ActivityHeatmap';
import { ChartCard } from './ChartCard';

// Colours come from CSS variables so the charts follow the theme.
const accent = 'var(--accent)';
const grid = 'var(--border)';
const axis = { stroke: 'var(--muted)', fontSize: 11 };

export function InsightsScreen() {
  const api = useApi();
  const [chatId, setChatId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const insights = useLoad(
    () => api.invoke('insights:activity', { chatId: chatId === '' ? undefined : chatId, from: from === '' ? undefined : from, to: to === '' ? undefined : to, topSenders: 10 }),
    JSON.stringify([chatId, from, to]),
  );
  const data = insights.data;

  return (
    <section className="screen" aria-labelledby="insights-title">
      <header className="screen-head">
        <h1 id="insights-title">Insights</h1>
        <div className="toolbar">
          <ConversationSelect value={chatId} onChange={setChatId} allLabel="Whole org" />
          <label>
            From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
      </header>
      {insights.state === 'error' && <ErrorPanel title="Could not compute the insights" error={insights.error} onRetry={insights.reload} />}
      {data === undefined && insights.state === 'loading' && <Loading label="Counting messages…" />}
      {data !== undefined && data.totalMessages === 0 && (
        <EmptyState title="No messages to chart yet">
          <a href={hrefFor('sync')}>Run a sync</a> first, or widen the dates.
        </EmptyState>
      )}
      {data !== undefined && data.totalMessages > 0 && (
        <div className="chart-grid" aria-busy={insights.state === 'loading'}>
          <ChartCard
            title={`Messages per day (${formatCount(data.totalMessages)} in all)`}
            summary={`Messages per day over ${data.perDay.length} days, ${formatCount(data.totalMessages)} in all`}
            columns={['Day', 'Messages']}
            rows={data.perDay.map((d) => [d.day, d.messages])}
          >
            <ResponsiveContainer width="100%" height={220}>
              <AreaChart data={data.perDay} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={grid} strokeDasharray="3 3" />
                <XAxis dataKey="day" tick={axis} minTickGap={24} />
                <YAxis tick={axis} width={40} allowDecimals={false} />
                <Tooltip />
                <Area type="monotone" dataKey="messages" stroke={accent} fill={accent} fillOpacity={0.2} isAnimationActive={false} />
              </AreaChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard
            title="Top senders"
            summary={`The ${data.topSenders.length} senders with the most messages`}
            columns={['Sender', 'Messages']}
            rows={data.topSenders.map((s) => [s.name ?? s.senderId ?? 'unknown', s.messages])}
          >
            <ResponsiveContainer width="100%" height={Math.max(120, data.topSenders.length * 26)}>
              <BarChart data={data.topSenders.map((s) => ({ name: s.name ?? s.senderId ?? 'unknown', messages: s.messages }))} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={grid} strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" tick={axis} allowDecimals={false} />
                <YAxis type="category" dataKey="name" tick={axis} width={120} />
                <Tooltip />
                <Bar dataKey="messages" fill={accent} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartCard>
          <figure className="chart-card chart-wide" aria-labelledby="heatmap-title">
            <figcaption id="heatmap-title" className="chart-title">
              When people write (weekday × hour)
            </figcaption>
            <ActivityHeatmap heatmap={data.heatmap} />
          </figure>
          <ChartCard
            title="Archive freshness"
            summary="Conversations by how recently they were archived completely"
            columns={['Last complete', 'Conversations']}
            rows={data.freshness.map((f) => [f.label, f.conversations])}
          >
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={data.freshness} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={grid} strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={axis} />
                <YAxis tick={axis} width={40} allowDecimals={false} />
                <Tooltip />
                <Bar dataKey="conversations" fill={accent} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartCard>
        </div>
      )}
    </section>
  );
}
