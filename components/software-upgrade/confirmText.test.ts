import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import type { ActivationPreview } from '@/lib/actionPreview';
import en from '@/messages/en.json';
import { activationText } from './confirmText';

const t = createTranslator({ locale: 'en', messages: en, namespace: 'confirm' });
const preview = (controller: Pick<ActivationPreview, 'controllerApReloads' | 'controllerHosted'>, strategy: ActivationPreview['strategy'] = 'all'): ActivationPreview => ({
  upgradeId: 1,
  stage: 'Activate',
  targetVersion: '17.12.1.5',
  targetControllerVersion: '17.12.01.0.5',
  strategy,
  apCount: 4,
  waves: strategy === 'all' ? [4] : [2, 2],
  excluded: 0,
  notComplete: 0,
  ...controller,
});
const controllerLine = (p: ActivationPreview) => activationText(t, p, { strategy: p.strategy }, 'UTC').lines.find((line) => /controller/.test(line));

describe("Activate's confirmation says what the controller will run", () => {
  it('the new version only when the AP hosting it reloads', () => {
    expect(controllerLine(preview({ controllerApReloads: true, controllerHosted: true }))).toBe('The AP that hosts the controller reloads with them; the controller then runs 17.12.01.0.5.');
    expect(controllerLine(preview({ controllerApReloads: true, controllerHosted: true }, 'rolling'))).toBe(
      'The AP that hosts the controller reloads in the last wave; the controller then runs 17.12.01.0.5.',
    );
  });

  it('its own version when the AP hosting it sits out (excluded, not complete), or when no AP hosts it', () => {
    expect(controllerLine(preview({ controllerApReloads: false, controllerHosted: true }))).toBe(
      'The AP that hosts the controller does not reload: the controller keeps the version it runs, not 17.12.01.0.5.',
    );
    expect(controllerLine(preview({ controllerApReloads: false, controllerHosted: false }))).toBe(
      'No AP hosts the controller: none receives 17.12.01.0.5, and the controller keeps the version it runs.',
    );
  });
});
