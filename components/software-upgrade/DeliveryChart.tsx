'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { UpgradeView } from '@/lib/upgradeStage';
import { formatClock } from '@/lib/dateTime';
import { LineChart, type ChartSeries } from './LineChart';
import { deliveryRates, type ProgressHistory } from './progressHistory';
import { formatMegabytes, formatRate, rateTickDigits } from './format';

// Wave lines drawn at most: the latest ones; every wave's figures stay in the text below.
const MAX_WAVE_LINES = 8;

/** 1, 2 or 5 times a power of ten, at least `value`: an axis top that reads well. */
function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

const elapsed = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/**
 * The upgrade as it moves, drawn from the batches the page already receives (four a second at most).
 * During the predownload: the aggregate rate of image bytes acknowledged by APs, and the APs completed.
 * During the activation (its own time axis): the APs joined again in each wave. The figures are also
 * written out as text, which is the charts' accessible description too.
 */
export function DeliveryChart({ history, upgrade }: { history: ProgressHistory; upgrade: UpgradeView | null }) {
  const t = useTranslations('chart');
  const { points } = history;
  if (points.length < 2 || !upgrade || upgrade.upgradeId !== history.upgradeId) return null;
  const start = points[0]!.at;
  const xMax = points.at(-1)!.at - start;
  const last = points.at(-1)!;
  const clock = t(history.phase === 'activation' ? 'clockActivation' : 'clockPredownload', { time: formatClock(new Date(last.at)), elapsed: elapsed(xMax) });
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
  const t = useTranslations('chart');
  const format = useFormatter();
  const rateText = (bytesPerSecond: number) => formatRate(format, bytesPerSecond);
  const rates = deliveryRates(points);
  const first = points[0]!;
  const last = points.at(-1)!;
  const lastRate = rates.at(-1) ?? null;
  const peakRate = Math.max(0, ...rates.map((rate) => rate ?? 0));
  // At least 0.1 MB/s tall, so a run that delivers nothing yet still has readable ticks.
  const rateTop = niceCeil(Math.max(peakRate, 1e5));
  const rateDigits = rateTickDigits(rateTop);
  const averageRate = xMax > 0 ? ((last.deliveredBytes - first.deliveredBytes) * 1000) / xMax : 0;
  const rateNow = lastRate === null ? t('notMeasured') : rateText(lastRate);
  const rateSeries: ChartSeries[] = [{ name: t('rateSeries'), tone: 1, points: points.map((p, i) => [p.at - start, rates[i]!] as const) }];
  const completeSeries: ChartSeries[] = [{ name: t('completeSeries'), tone: 2, step: true, points: points.map((p) => [p.at - start, p.complete] as const) }];
  return (
    <>
      <div className="chart-row">
        <LineChart
          testId="chart-rate"
          title={t('rateTitle')}
          summary={t('rateSummary', { now: rateNow, peak: rateText(peakRate) })}
          series={rateSeries}
          xMax={xMax}
          yMax={rateTop}
          formatX={elapsed}
          formatY={(v) => format.number(v / 1e6, { maximumFractionDigits: rateDigits, minimumFractionDigits: rateDigits })}
        />
        <LineChart
          testId="chart-complete"
          title={t('completeTitle')}
          summary={t('completeSummary', { complete: last.complete, total: last.totalAps })}
          series={completeSeries}
          xMax={xMax}
          yMax={Math.max(1, last.totalAps)}
          formatX={elapsed}
          formatY={(v) => String(Math.round(v))}
        />
      </div>
      <p className="chart-figures" data-testid="delivery-figures">
        {t('predownloadFigures', {
          clock,
          now: rateNow,
          average: rateText(averageRate),
          peak: rateText(peakRate),
          delivered: formatMegabytes(format, last.deliveredBytes - first.deliveredBytes),
          fetched: formatMegabytes(format, last.fetchedBytes - first.fetchedBytes),
          complete: last.complete,
          total: last.totalAps,
        })}
      </p>
    </>
  );
}

function ActivationCharts({ points, start, xMax, clock, upgrade }: ChartsProps & { upgrade: UpgradeView }) {
  const t = useTranslations('chart');
  const waves = upgrade.waves;
  const shown = waves.slice(-MAX_WAVE_LINES);
  const waveSeries: ChartSeries[] = shown.map((wave, n) => ({
    name: t('wave', { number: wave.index + 1 }),
    tone: (n % MAX_WAVE_LINES) + 1,
    step: true,
    points: points.filter((p) => p.joinedPerWave.length > wave.index).map((p) => [p.at - start, p.joinedPerWave[wave.index]!] as const),
  }));
  const joined = waves.reduce((sum, wave) => sum + wave.joined, 0);
  const members = waves.reduce((sum, wave) => sum + wave.aps.length, 0);
  const waveFigures = waves
    .map((wave) => t(wave.failed > 0 ? 'waveFiguresFailed' : 'waveFigures', { number: wave.index + 1, joined: wave.joined, total: wave.aps.length, failed: wave.failed }))
    .join('; ');
  return (
    <>
      <div className="chart-row">
        <LineChart
          testId="chart-waves"
          title={t('wavesTitle')}
          summary={t('wavesSummary', { figures: waveFigures })}
          series={waveSeries}
          xMax={xMax}
          yMax={Math.max(1, ...waves.map((wave) => wave.aps.length))}
          formatX={elapsed}
          formatY={(v) => String(Math.round(v))}
        />
      </div>
      <p className="chart-figures" data-testid="activation-figures">
        {t('activationFigures', { clock, joined, total: members, version: upgrade.targetVersion ?? t('theNewVersion') })}
      </p>
      <p className="chart-figures" data-testid="wave-figures">
        {waveFigures}.
      </p>
    </>
  );
}
