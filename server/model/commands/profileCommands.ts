import { namedFieldPaths } from '../../../lib/invariants';
import { isServerMode, SLOT_OF, type ImageDownloadMode, type ImageDownloadProfileView } from '../../../lib/imageDownloadProfile';
import { formValuesFromProfile, parseProfileForm, type ProfileFormValues } from '../../../components/software-upgrade/profileForm';
import { ADMIN } from '../../sim/testing/consoleHarness';
import { MISSING_IMAGE_PATH, MODEL_BUNDLES } from '../modelBundles';
import type { ModelState } from '../modelState';
import type { ModelSystem } from '../modelSystem';
import { answer, cliAnswer, ModelCommand, show } from './modelCommand';

/** Loopback only: a saved profile is what a scheduled download contacts. */
export type ServerChoice = '127.0.0.1' | '127.0.0.2';
/** The world's tftpd-hpa, a port nothing listens on, or a number as typed. */
export type PortChoice = 'tftp' | 'closed' | number;
/** A bundle on the image server by index, or a path that does not exist. */
export type PathChoice = number | 'missing';

export function imagePathOf(choice: PathChoice): string {
  return choice === 'missing' ? MISSING_IMAGE_PATH : MODEL_BUNDLES[choice].imagePath;
}

export function portOf(choice: PortChoice, system: ModelSystem): number {
  return choice === 'tftp' ? system.sut.world.tftpPort : choice === 'closed' ? system.sut.world.closedPort : choice;
}

/** What a user changes in the page's form before pressing Save: the mode first, then any of the fields it shows (server, path and port are the mode's own, in TFTP and SFTP modes). */
export interface PageEdit {
  mode: ImageDownloadMode;
  server?: ServerChoice;
  path?: PathChoice;
  port?: PortChoice;
  parallel?: boolean;
  sftpUser?: string;
  sftpPassword?: string;
  ccoUser?: string;
  ccoRelease?: 'recommended' | 'latest';
  /** The world's catalog (its URL, CA, account and API key), or a URL on a port nothing listens on. */
  catalog?: 'world' | 'closed';
  desktopVersion?: string;
}

/** The form as the page fills it from the saved profile, changed as a user would, ready to send (null: the form shows errors and sends nothing). */
export function pageBody(view: ImageDownloadProfileView, edit: PageEdit, system: ModelSystem): ReturnType<typeof parseProfileForm> {
  const form: ProfileFormValues = { ...formValuesFromProfile(view), mode: edit.mode };
  if (isServerMode(edit.mode)) {
    // The selected mode's own server, path and port (the form's own copy): the other mode's stay as saved.
    const own = form[SLOT_OF[edit.mode]];
    if (edit.server) own.imageServer = edit.server;
    if (edit.path !== undefined) own.imagePath = imagePathOf(edit.path);
    if (edit.port !== undefined) own.port = String(portOf(edit.port, system));
  }
  if (edit.parallel !== undefined) form.parallelMode = edit.parallel;
  if (edit.sftpUser !== undefined) form.sftp = { ...form.sftp, username: edit.sftpUser };
  if (edit.sftpPassword !== undefined) form.sftp = { ...form.sftp, authMethod: 'password', password: edit.sftpPassword };
  if (edit.ccoUser !== undefined) form.cco = { ...form.cco, username: edit.ccoUser };
  if (edit.ccoRelease !== undefined) form.cco = { ...form.cco, release: edit.ccoRelease };
  if (edit.catalog === 'closed') form.cco = { ...form.cco, catalogUrl: `https://127.0.0.1:${system.sut.world.closedPort}` };
  if (edit.catalog === 'world') {
    const { url, caPem, username, apiKey } = system.sut.world.catalog;
    form.cco = { ...form.cco, catalogUrl: url, caCertificate: caPem, username, password: apiKey };
  }
  if (edit.desktopVersion !== undefined) form.desktop = { ...form.desktop, version: edit.desktopVersion };
  return parseProfileForm(form, { hasPassword: view.sftp.hasPassword, hasPrivateKey: view.sftp.hasPrivateKey });
}

/** Save on the page: the form's body to PUT /api/image-download-profile. */
export class PageSave extends ModelCommand {
  constructor(readonly edit: PageEdit) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    const view = system.sut.api.getProfile().body as ImageDownloadProfileView;
    const parsed = pageBody(view, this.edit, system);
    if (!parsed.ok) return `not sent: the form shows ${show(parsed.errors)}`;
    system.name(namedFieldPaths(parsed.body, view.mode));
    return answer(await system.sut.api.saveProfile(parsed.body, ADMIN));
  }

  toString(): string {
    return `pageSave(${show(this.edit)})`;
  }
}

/** The profile fields each CLI line names; `{tftpPort}` and `{closedPort}` in a line are the world's ports. */
export function cliLineFields(line: string): string[] {
  const words = line.split(' ');
  const negated = words[0] === 'no';
  const keyword = negated ? words[1] : words[0];
  if (keyword === 'image-download-mode') return ['mode'];
  if (keyword === 'parallel-mode') return ['parallelMode'];
  if (keyword === 'sftp-username') return ['sftp.username'];
  if (keyword === 'sftp-password') return ['sftp.password', 'sftp.passwordType', 'sftp.authMethod'];
  if (keyword === 'sftp-host-key') return ['sftp.hostKeyFingerprint', 'sftp.hostKeyType'];
  const server = /^(tftp|sftp)-image-(server|path|port)$/.exec(keyword);
  if (server) return [`${server[1]}.${{ server: 'imageServer', path: 'imagePath', port: 'port' }[server[2]]}`];
  return [];
}

export function cliLine(template: string, system: ModelSystem): string {
  return template.replace('{tftpPort}', String(system.sut.world.tftpPort)).replace('{closedPort}', String(system.sut.world.closedPort));
}

/** Lines typed in `wireless profile image-download default`, then `end`: the CLI's save. */
export class CliSave extends ModelCommand {
  constructor(readonly lines: readonly string[]) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    system.name(this.lines.flatMap(cliLineFields));
    const typed = ['configure terminal', 'wireless profile image-download default', ...this.lines.map((line) => cliLine(line, system)), 'end'];
    return cliAnswer(await system.sut.type(typed));
  }

  toString(): string {
    return `cliSave(${show(this.lines)})`;
  }
}

export const pageSave = (edit: PageEdit) => new PageSave(edit);
export const cliSave = (lines: readonly string[]) => new CliSave(lines);
