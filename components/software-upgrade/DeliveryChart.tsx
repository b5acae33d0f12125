'use client';

import type { UpgradeView } from '@/lib/upgradeStage';
import { formatClock } from '@/lib/dateTime';
import { LineChart, type ChartSeries } from './LineChart';
import { deliveryRates, type ProgressHistory } from './progressHistory';

// Wave lines drawn at most: the latest ones; every wave's figures stay in the text below.
const MAX_WAVE_LINES = 8;

/** 1, 2 or 5 times a power of ten, at least `value`: an axis top that reads well. */
function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const rateText = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond < 1e6 ? 2 : 1)} MB/s`;
const elapsed = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/**
 * The upgrade as it moves, drawn from the batches the page already receives (four a second at most):
 * the aggregate rate of image bytes acknowledged by APs, the APs completed, and during a rolling
 * activation the APs joined again in each wave. The figures are also written out as text.
 */
export function DeliveryChart({ history, upgrade }: { history: ProgressHistory; upgrade: UpgradeView | null }) {
  const { points } = history;
  if (points.length < 2 || !upgrade || upgrade.upgradeId !== history.upgradeId) return null;
  const start = points[0]!.at;
  const xMax = points.at(-1)!.at - start;
  const rates = deliveryRates(points);
  const last = points.at(-1)!;
  const lastRate = rates.at(-1) ?? null;
  const peakRate = Math.max(0, ...rates.map((rate) => rate ?? 0));
  const averageRate = xMax > 0 ? ((last.deliveredBytes - points[0]!.deliveredBytes) * 1000) / xMax : 0;
  const rateSeries: ChartSeries[] = [{ name: 'Delivery rate', tone: 1, points: points.map((p, i) => [p.at - start, rates[i]!] as const) }];
  const completeSeries: ChartSeries[] = [{ name: 'Completed predownloading', tone: 2, points: points.map((p) => [p.at - start, p.complete] as const) }];
  const waves = upgrade.waves;
  const shownWaves = waves.slice(-MAX_WAVE_LINES);
  const waveSeries: ChartSeries[] = shownWaves.map((wave, n) => ({
    name: `Wave ${wave.index + 1}`,
    tone: (n % MAX_WAVE_LINES) + 1,
    points: points.filter((p) => p.joinedPerWave.length > wave.index).map((p) => [p.at - start, p.joinedPerWave[wave.index]!] as const),
  }));
  const waveMax = Math.max(1, ...waves.map((wave) => wave.aps.length));
  const rateNow = lastRate === null ? 'not measured yet' : rateText(lastRate);
  const figures = `At ${formatClock(new Date(last.at))} (${elapsed(xMax)} since the first sample): delivering ${rateNow} (average ${rateText(averageRate)}, peak ${rateText(peakRate)}); ${megabytes(last.deliveredBytes - points[0]!.deliveredBytes)} delivered to APs and ${megabytes(last.fetchedBytes - points[0]!.fetchedBytes)} fetched from the image server in that time; ${last.complete} of ${last.totalAps} APs completed.`;
  const waveFigures = waves.map((wave) => `Wave ${wave.index + 1}: ${wave.joined} of ${wave.aps.length} joined${wave.failed > 0 ? `, ${wave.failed} failed` : ''}`).join('; ');

  return (
    <div className="delivery-chart" data-testid="delivery-chart">
      <div className="chart-row">
        <LineChart
          testId="chart-rate"
          title="Delivery rate to APs (MB/s)"
          summary={`Delivery rate over time, now ${rateNow}, peak ${rateText(peakRate)}.`}
          series={rateSeries}
          xMax={xMax}
          yMax={niceCeil(peakRate)}
          formatX={elapsed}
          formatY={(v) => `${(v / 1e6).toFixed(v >= 1e7 ? 0 : 1)}`}
        />
        <LineChart
          testId="chart-complete"
          title="Completed predownloading (APs)"
          summary={`APs that completed their predownload over time (they leave the count as they reload), now ${last.complete} of ${last.totalAps}.`}
          series={completeSeries}
          xMax={xMax}
          yMax={Math.max(1, last.totalAps)}
          formatX={elapsed}
          formatY={(v) => String(Math.round(v))}
        />
        {waveSeries.length > 0 && (
          <LineChart
            testId="chart-waves"
            title="Joined again, per wave (APs)"
            summary={`APs joined again running the new version, per wave: ${waveFigures}.`}
            series={waveSeries}
            xMax={xMax}
            yMax={waveMax}
            formatX={elapsed}
            formatY={(v) => String(Math.round(v))}
          />
        )}
      </div>
      <p className="chart-figures" data-testid="delivery-figures">
        {figures} Rate in MB/s (10^6 bytes), time in minutes:seconds.
      </p>
      {waves.length > 0 && (
        <p className="chart-figures" data-testid="wave-figures">
          {waveFigures}.
        </p>
      )}
    </div>
  );
}
