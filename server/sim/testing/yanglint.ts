import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVED_MODULES } from '../../restconf/servedModules';

const run = promisify(execFile);

/** Cisco's IOS-XE 17.12.1 modules and their imports, copied from YangModels/yang (see the README beside them). */
export const YANG_DIR = path.resolve(import.meta.dirname, '..', '..', 'restconf', 'yang');

/** A step of the request path below the module's top container: a node name, with the list keys it was asked with. */
export interface AnswerStep {
  name: string;
  keys?: string[];
}

/**
 * A RESTCONF answer rooted at its target, rebuilt as a document rooted at the module's top container
 * with every ancestor and list key (what yanglint validates; see the README's wrapping rule).
 */
export function wrapJsonAnswer(module: string, steps: readonly AnswerStep[], answer: Record<string, unknown>): Record<string, unknown> {
  const served = SERVED_MODULES.find((m) => m.name === module);
  if (!served) throw new Error(`${module} is not served`);
  const [member, ...others] = Object.keys(answer);
  if (others.length > 0 || !member.startsWith(`${module}:`)) throw new Error(`The answer is not one member of ${module}: ${Object.keys(answer).join(', ')}`);
  if (steps.length === 0) return answer;
  // From the answer's node up: each step's value becomes a member of its parent's, a keyed list step an entry with its keys.
  let node: unknown = answer[member];
  for (let i = steps.length - 1; i >= 1; i -= 1) {
    const parent = steps[i - 1];
    const schema = served.lists[parent.name];
    const object = { [steps[i].name]: node };
    node = schema && parent.keys ? [{ ...Object.fromEntries(schema.keys.map((key, k) => [key, parent.keys![k]])), ...object }] : object;
  }
  return { [`${module}:${served.top}`]: { [steps[0].name]: node } };
}

/** Runs yanglint on a document (`json` or `xml`) against `module`; throws with yanglint's own message when it is not valid. */
export async function yanglint(module: string, document: string, format: 'json' | 'xml'): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yanglint-'));
  // yanglint picks the data format from the file name's extension.
  const file = path.join(dir, `answer.${format}`);
  fs.writeFileSync(file, document);
  try {
    // -i: the imported modules count as implemented, so capwap-data's `must` into wireless-general-cfg resolves.
    await run('/usr/bin/yanglint', ['-p', YANG_DIR, '-i', path.join(YANG_DIR, `${module}.yang`), file]);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`yanglint refused the ${format} answer for ${module}: ${(stderr || stdout || String(error)).trim()}\n${document.slice(0, 3000)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Validates a JSON answer to GET `/restconf/data/<module>:<top>/<steps…>` against Cisco's module, as the README's wrapping rule says. */
export async function expectValidJsonAnswer(module: string, steps: readonly AnswerStep[], body: string): Promise<Record<string, unknown>> {
  const answer = JSON.parse(body) as Record<string, unknown>;
  const wrapped = wrapJsonAnswer(module, steps, answer);
  if (Object.keys(wrapped).length === 0) throw new Error('An empty answer validates trivially: the test expected data');
  await yanglint(module, JSON.stringify(wrapped), 'json');
  return answer;
}

/** Validates an XML answer whose target is the top container or one node right below it (each list entry an element). */
export async function expectValidXmlAnswer(module: string, steps: readonly AnswerStep[], body: string): Promise<void> {
  const served = SERVED_MODULES.find((m) => m.name === module)!;
  if (steps.length > 1) throw new Error('expectValidXmlAnswer wraps one level below the top container only');
  const document = steps.length === 0 ? body : `<${served.top} xmlns="${served.namespace}">\n${body}</${served.top}>\n`;
  await yanglint(module, document, 'xml');
}
