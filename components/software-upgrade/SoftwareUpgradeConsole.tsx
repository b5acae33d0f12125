'use client';

import { isCancellable } from '@/lib/upgradeStage';
import { Panel } from '@/components/ui/Panel';
import { ActionBanner } from './ActionBanner';
import { ApImageCounters } from './ApImageCounters';
import { ApImageTable } from './ApImageTable';
import { ConnectionIndicator } from './ConnectionIndicator';
import { HomogeneityBanner } from './HomogeneityBanner';
import { ProfileForm } from './ProfileForm';
import { StageBar } from './StageBar';
import { SyslogView } from './SyslogView';
import { UpgradeButtons } from './UpgradeButtons';
import { UpgradeDetails } from './UpgradeDetails';
import { useConsoleActions } from './useConsoleActions';
import { useConsoleState } from './useConsoleState';
import { useProfileForm } from './useProfileForm';

/** The Software Upgrade page's live part: wires the socket state, the form and the actions to pure views. */
export function SoftwareUpgradeConsole() {
  const live = useConsoleState();
  const form = useProfileForm(live.profile);
  const actions = useConsoleActions(form, live.applyProfile);
  const upgrade = live.upgrade;
  const running = upgrade?.state === 'running' || upgrade?.state === 'reloading';
  const message = actions.message && !(actions.message.aboutForm && form.dirty) ? actions.message : null;

  return (
    <div className="console">
      <div className="console-status">
        <ConnectionIndicator status={live.connection} />
      </div>
      <HomogeneityBanner homogeneous={live.homogeneous} />
      <ActionBanner message={message} onDismiss={actions.dismissMessage} />

      <div className="console-top">
        <Panel id="image-download" title="Image Download">
          <ProfileForm
            form={form}
            hasPassword={live.profile?.sftp.hasPassword ?? false}
            onSubmit={actions.save}
            actions={
              <UpgradeButtons
                busy={actions.busy}
                canSave={form.ready}
                canDownload={form.ready && upgrade !== null && !running}
                canActivate={upgrade?.state === 'awaitingActivation'}
                canCancel={upgrade !== null && isCancellable(upgrade.stage)}
                onSaveAndDownload={actions.saveAndDownload}
                onActivate={actions.activate}
                onCancel={actions.cancel}
              />
            }
          />
        </Panel>
        <Panel id="upgrade-progress" title="Upgrade Progress">
          <StageBar upgrade={upgrade} />
          <UpgradeDetails upgrade={upgrade} />
        </Panel>
      </div>

      <Panel id="ap-image" title="AP Image Predownload" aside={<span className="panel-count">{live.aps.length} APs</span>}>
        <ApImageCounters summary={live.summary} />
        <ApImageTable aps={live.aps} />
      </Panel>

      <Panel id="syslog" title="Syslog" aside={<span className="panel-count">last {live.syslog.length} lines</span>}>
        <SyslogView lines={live.syslog} />
      </Panel>
    </div>
  );
}
