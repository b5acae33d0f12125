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
 * The upgrade as it moves, drawn from the batches the page already receives (four a second at most).
 * During the predownload: the aggregate rate of image bytes acknowledged by APs, and the APs completed.
 * During the activation (its own time axis): the APs joined again in each wave. The figures are also
 * written out as text, which is the charts' accessible description too.
 */
export function DeliveryChart({ history, upgrade }: { history: ProgressHistory; upgrade: UpgradeView | null }) {
  const { points } = history;
  if (points.length < 2 || !upgrade || upgrade.upgradeId !== history.upgradeId) return null;
  const start = points[0]!.at;
  const xMax = points.at(-1)!.at - start;
  const last = points.at(-1)!;
  const clock = `At ${formatClock(new Date(last.at))} (${elapsed(xMax)} since the ${history.phase === 'activation' ? 'activation started' : 'first sample'})`;
  return (
    <div className="delivery-chart" data-testid="delivery-chart" data-phase={history.phase}>
      {history.phase === 'predownload' ? (
        <PredownloadCharts points={points} start={start} xMax={xMax} clock={clock} />
      ) : (
        <ActivationCharts points={points} start={start} xMax={xMax} clock={clock} upgrade={upgrade} />
      )}
    </div>
  );
}

interface ChartsProps {
  points: ProgressHistory['points'];
  start: number;
  xMax: number;
  /** `At 10:02:03 (0:41 since …)`: where the figures start. */
  clock: string;
}

function PredownloadCharts({ points, start, xMax, clock }: ChartsProps) {
  const rates = deliveryRates(points);
  const first = points[0]!;
  const last = points.at(-1)!;
  const lastRate = rates.at(-1) ?? null;
  const peakRate = Math.max(0, ...rates.map((rate) => rate ?? 0));
  const averageRate = xMax > 0 ? ((last.deliveredBytes - first.deliveredBytes) * 1000) / xMax : 0;
  const rateNow = lastRate === null ? 'not measured yet' : rateText(lastRate);
  const rateSeries: ChartSeries[] = [{ name: 'Delivery rate', tone: 1, points: points.map((p, i) => [p.at - start, rates[i]!] as const) }];
  const completeSeries: ChartSeries[] = [{ name: 'Completed predownloading', tone: 2, step: true, points: points.map((p) => [p.at - start, p.complete] as const) }];
  return (
    <>
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
          summary={`APs that completed their predownload over time, now ${last.complete} of ${last.totalAps}.`}
          series={completeSeries}
          xMax={xMax}
          yMax={Math.max(1, last.totalAps)}
          formatX={elapsed}
          formatY={(v) => String(Math.round(v))}
        />
      </div>
      <p className="chart-figures" data-testid="delivery-figures">
        {`${clock}: delivering ${rateNow} (average ${rateText(averageRate)}, peak ${rateText(peakRate)}); ${megabytes(last.deliveredBytes - first.deliveredBytes)} delivered to APs and ${megabytes(last.fetchedBytes - first.fetchedBytes)} fetched from the image server in that time; ${last.complete} of ${last.totalAps} APs completed.`}{' '}
        Rate in MB/s (10^6 bytes), time in minutes:seconds.
      </p>
    </>
  );
}

function ActivationCharts({ points, start, xMax, clock, upgrade }: ChartsProps & { upgrade: UpgradeView }) {
  const waves = upgrade.waves;
  const shown = waves.slice(-MAX_WAVE_LINES);
  const waveSeries: ChartSeries[] = shown.map((wave, n) => ({
    name: `Wave ${wave.index + 1}`,
    tone: (n % MAX_WAVE_LINES) + 1,
    step: true,
    points: points.filter((p) => p.joinedPerWave.length > wave.index).map((p) => [p.at - start, p.joinedPerWave[wave.index]!] as const),
  }));
  const joined = waves.reduce((sum, wave) => sum + wave.joined, 0);
  const members = waves.reduce((sum, wave) => sum + wave.aps.length, 0);
  const waveFigures = waves.map((wave) => `Wave ${wave.index + 1}: ${wave.joined} of ${wave.aps.length} joined${wave.failed > 0 ? `, ${wave.failed} failed` : ''}`).join('; ');
  return (
    <>
      <div className="chart-row">
        <LineChart
          testId="chart-waves"
          title="Joined again, per wave (APs)"
          summary={`APs joined again running the new version, per wave: ${waveFigures}.`}
          series={waveSeries}
          xMax={xMax}
          yMax={Math.max(1, ...waves.map((wave) => wave.aps.length))}
          formatX={elapsed}
          formatY={(v) => String(Math.round(v))}
        />
      </div>
      <p className="chart-figures" data-testid="activation-figures">
        {`${clock}: ${joined} of ${members} APs of the activation joined again running ${upgrade.targetVersion ?? 'the new version'}. Time in minutes:seconds.`}
      </p>
      <p className="chart-figures" data-testid="wave-figures">
        {waveFigures}.
      </p>
    </>
  );
}
