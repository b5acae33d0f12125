'use client';

import { useTranslations } from 'next-intl';
import { isCancellable, isUpgradeBusy } from '@/lib/upgradeStage';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { ResultBanner } from '@/components/ui/ResultBanner';
import { ApImageCounters } from './ApImageCounters';
import { CatalogCheckPanel } from './CatalogCheckPanel';
import { HttpModeFields } from './HttpModeFields';
import { useCatalogCheck } from './useCatalogCheck';
import { ApImageTable } from './ApImageTable';
import { ApImageTableControls } from './ApImageTableControls';
import { ConnectionIndicator, ConnectionNotice } from './ConnectionIndicator';
import { ExportConfigDialog } from './ExportConfigDialog';
import { HostKeyDialog } from './HostKeyDialog';
import { BackupReplaceDialog } from './BackupReplaceDialog';
import { ProfileForm } from './ProfileForm';
import { fieldId } from './profileForm';
import { StageBar } from './StageBar';
import { SyslogView } from './SyslogView';
import { UpgradeButtons } from './UpgradeButtons';
import { UpgradeDetails } from './UpgradeDetails';
import { useActionRunner } from './useActionRunner';
import { useConfigExport } from './useConfigExport';
import { useConsoleActions } from './useConsoleActions';
import { useConsoleState } from './useConsoleState';
import { useProfileForm } from './useProfileForm';
import { ActivationOptions } from './ActivationOptions';
import { RolloutWaves } from './RolloutWaves';
import { useActivationOptions } from './useActivationOptions';
import { PredownloadTargets } from './PredownloadTargets';
import { usePredownloadTargets } from './usePredownloadTargets';
import { useMaintenanceActions } from './useMaintenanceActions';
import { useActionConfirmation } from './useActionConfirmation';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { DeliveryChart } from './DeliveryChart';
import { useProgressHistory } from './useProgressHistory';

const EXPORT_BUTTON_ID = 'export-config-open';

/**
 * The Software Upgrade page's live part: wires the socket state, the form and the actions to pure views.
 * A monitor sees everything live but every command is disabled (the server refuses them with 403 anyway).
 */
export function SoftwareUpgradeConsole({ canChange }: { canChange: boolean }) {
  const t = useTranslations('console');
  const tHomogeneity = useTranslations('homogeneity');
  const live = useConsoleState();
  const form = useProfileForm(live.profile);
  const runner = useActionRunner();
  const actions = useConsoleActions(form, runner, live.applyProfile);
  const configExport = useConfigExport(runner);
  const catalogChecks = useCatalogCheck(`${live.upgrade?.upgradeId ?? ''}:${live.upgrade?.stage ?? ''}`);
  const activation = useActivationOptions();
  const targets = usePredownloadTargets();
  const maintenance = useMaintenanceActions(runner);
  const upgrade = live.upgrade;
  const history = useProgressHistory(live);
  const confirmation = useActionConfirmation(runner, { activate: actions.activate, cancel: actions.cancel, cancelSchedule: maintenance.cancelSchedule }, upgrade?.controllerTimeZone ?? 'UTC');
  // Off line the page shows the last known state: no command may act on it.
  const online = live.connection === 'live';
  const allowed = canChange && online;
  // Desktop mode serves one image: on a mixed fleet nothing in this mode can be saved, and the buttons say why.
  const saveBlocked = form.values.mode === 'DESKTOP' && !live.homogeneous ? t('saveBlocked', { reason: tHomogeneity('nonHomogeneous') }) : null;
  const busy = upgrade !== null && isUpgradeBusy(upgrade.stage);
  const message = actions.message && !(actions.message.aboutForm && form.dirty) ? actions.message : null;

  return (
    <div className="console">
      <div className="console-status">
        <ConnectionIndicator status={live.connection} notice={live.stopNotice} />
      </div>
      <ConnectionNotice status={live.connection} notice={live.stopNotice} since={live.disconnectedAt} />
      <ResultBanner message={message} onDismiss={actions.dismissMessage} testId="action-message" />
      {!canChange && (
        <p className="read-only-note" data-testid="read-only-note">
          {t('readOnly')}
        </p>
      )}

      <div className="console-top">
        <Panel id="image-download" title={t('imageDownload')}>
          <ProfileForm
            form={form}
            stored={{ hasPassword: live.profile?.sftp.hasPassword === true, hasPrivateKey: live.profile?.sftp.hasPrivateKey === true }}
            onSubmit={actions.save}
            onGetHostKey={actions.getHostKey}
            blocked={actions.busy !== null || !online}
            fetchingHostKey={actions.busy === 'hostKey'}
            httpModeFields={<HttpModeFields form={form} profile={live.profile} checks={catalogChecks.result} homogeneous={live.homogeneous} canChange={allowed} />}
            actions={
              <UpgradeButtons
                busy={actions.busy}
                canSave={allowed && form.ready && !saveBlocked}
                canDownload={allowed && form.ready && !saveBlocked && upgrade !== null && !busy}
                saveBlocked={saveBlocked}
                // An activation may be set for later before the predownload ends, or for the next window of a paused one.
                canActivate={allowed && (upgrade?.state === 'awaitingActivation' || (activation.scheduled && upgrade !== null))}
                canCancel={allowed && upgrade !== null && isCancellable(upgrade.stage)}
                onSaveAndDownload={() => actions.saveAndDownload(targets.extras())}
                onActivate={() => confirmation.activate(activation.body())}
                onCancel={confirmation.cancel}
                aside={
                  <Button id={EXPORT_BUTTON_ID} className="btn-small" disabled={!allowed || actions.busy !== null} busy={actions.busy === 'export'} onClick={configExport.open}>
                    {t('exportConfiguration')}
                  </Button>
                }
              />
            }
          />
        </Panel>
        <Panel id="upgrade-progress" title={t('upgradeStatus')}>
          <StageBar upgrade={upgrade} />
          <UpgradeDetails upgrade={upgrade} canChange={allowed} />
        </Panel>
      </div>

      {history.points.length > 1 && history.upgradeId === upgrade?.upgradeId && (
        <Panel id="live-progress" title={t('liveProgress')}>
          <DeliveryChart history={history} upgrade={upgrade} />
        </Panel>
      )}

      {form.values.mode === 'CCO' && (
        <Panel id="catalog-check" title={t('checkForNewVersion')}>
          <CatalogCheckPanel
            checks={catalogChecks}
            releaseChoice={form.values.cco.release}
            canCheck={allowed}
            onTrustCertificate={(fingerprint) => form.setCco('certificateFingerprint', fingerprint)}
          />
        </Panel>
      )}

      <Panel id="maintenance-window" title={t('maintenanceWindow')}>
        <PredownloadTargets values={targets.values} onChange={targets.set} disabled={!canChange} />
        <ActivationOptions options={activation} disabled={!canChange} />
        <RolloutWaves upgrade={upgrade} canChange={allowed} busy={actions.busy !== null} onCommand={maintenance.command} onCancelScheduled={confirmation.cancelSchedule} />
      </Panel>

      <Panel id="ap-image" title={t('apImagePredownload')} aside={<span className="panel-count">{t('apCount', { count: live.summary?.totalAps ?? 0 })}</span>}>
        <ApImageCounters summary={live.summary} />
        <ApImageTableControls query={live.apImageQuery} total={live.total} onQuery={live.viewApImage} />
        <ApImageTable aps={live.aps} filtered={live.total < (live.summary?.totalAps ?? 0)} canChange={canChange} online={online} approvalAsked={Boolean(upgrade?.bundleApproval)} />
      </Panel>

      <Panel
        id="syslog"
        title={t('syslog')}
        aside={<span className="panel-count">{live.syslog.length > 0 ? t('syslogCountUtc', { count: live.syslog.length }) : t('syslogCount', { count: 0 })}</span>}
      >
        <SyslogView lines={live.syslog} />
      </Panel>

      {actions.hostKeyPrompt && (
        <HostKeyDialog
          hostKey={actions.hostKeyPrompt.hostKey}
          current={form.values.sftp.hostKeyFingerprint}
          // After "Get host key" the engineer next looks at (and saves) the field; a retried download keeps the default.
          returnFocusTo={actions.hostKeyPrompt.retry ? undefined : fieldId('sftp.hostKeyFingerprint')}
          onTrust={actions.trustHostKey}
          onDistrust={actions.distrustHostKey}
        />
      )}
      {actions.backupPrompt && <BackupReplaceDialog replacement={actions.backupPrompt} onReplace={actions.replaceBackups} onKeep={actions.keepBackups} />}
      {confirmation.pending && <ConfirmActionDialog text={confirmation.pending} canConfirm={allowed} onConfirm={confirmation.confirm} onDismiss={confirmation.dismiss} />}
      {configExport.text !== null && <ExportConfigDialog text={configExport.text} unsaved={form.dirty} returnFocusTo={EXPORT_BUTTON_ID} onClose={configExport.close} />}
    </div>
  );
}
