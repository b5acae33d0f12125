import { describe, expect, it } from 'vitest';
import type { PredownloadStatus } from '../../lib/predownloadStatus';
import { englishOf } from '../../lib/serverSentences';
import { nextPredownloadStage, type RunProgress, type StageStep } from './stageProgress';

const counts = (values: Partial<Record<PredownloadStatus, number>>) => (status: PredownloadStatus) => values[status] ?? 0;
const delivering: RunProgress = { controllerImagePending: false, filesPending: false, retriesWaiting: 0 };

describe('the predownload stage from the counters of its APs', () => {
  it('moves the bar forward only: the controller image, then the AP images, then the network', () => {
    expect(nextPredownloadStage('Initiate', counts({ Downloading: 2 }), { ...delivering, controllerImagePending: true }, '17.12.1.0')).toEqual({ to: 'ControllerImageDownload' });
    expect(nextPredownloadStage('ControllerImageDownload', counts({ Downloading: 2 }), { ...delivering, filesPending: true }, '17.12.1.0')).toEqual({ to: 'APImageDownload' });
    expect(nextPredownloadStage('APImageDownload', counts({ Predownloading: 1 }), delivering, '17.12.1.0')).toEqual({ to: 'NetworkUpgrade' });
    expect(nextPredownloadStage('NetworkUpgrade', counts({ Predownloading: 1 }), { ...delivering, filesPending: true }, '17.12.1.0')).toBeNull();
  });

  it('is not over while a failed AP waits for its retry', () => {
    expect(nextPredownloadStage('NetworkUpgrade', counts({ Complete: 3, Failed: 1 }), { ...delivering, retriesWaiting: 1 }, '17.12.1.0')).toBeNull();
  });

  it('ends at Activate when every AP completed, and Failed with the reason otherwise', () => {
    // The server's English, word for word, from the sentence the page translates.
    const english = (step: StageStep) => step && { to: step.to, message: step.message && englishOf(step.message) };
    expect(english(nextPredownloadStage('NetworkUpgrade', counts({ Complete: 3, NotSupported: 1 }), delivering, '17.12.1.0'))).toEqual({
      to: 'Activate',
      message: 'Predownload of 17.12.1.0 complete on 3 AP(s). Activate to reload the network.',
    });
    expect(english(nextPredownloadStage('NetworkUpgrade', counts({ Complete: 3, Failed: 2 }), delivering, '17.12.1.0'))).toEqual({
      to: 'Failed',
      message: '2 AP(s) failed to predownload. Fix the cause shown in the log, then Save & Download again.',
    });
    expect(english(nextPredownloadStage('Initiate', counts({}), delivering, '17.12.1.0'))).toEqual({ to: 'Failed', message: 'No AP is connected: nothing to predownload.' });
    expect(english(nextPredownloadStage('APImageDownload', counts({ NotSupported: 2 }), delivering, '17.12.1.0'))).toEqual({
      to: 'Failed',
      message: 'No AP supports the images of this bundle. Fix the cause shown in the log, then Save & Download again.',
    });
  });
});
