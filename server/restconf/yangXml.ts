import type { YangValue } from './dataTree';
import { escapeXml } from './restconfErrors';

function element(name: string, value: YangValue, indent: string, xmlns: string): string {
  if (Array.isArray(value)) return value.map((entry) => element(name, entry, indent, xmlns)).join('');
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([child, v]) => element(child, v, `${indent}  `, ''));
    return `${indent}<${name}${xmlns}>\n${children.join('')}${indent}</${name}>\n`;
  }
  return `${indent}<${name}${xmlns}>${escapeXml(String(value))}</${name}>\n`;
}

/**
 * `application/yang-data+xml` of a node (RFC 7950's XML encoding): the node in its module's namespace,
 * a list as one element per entry. Every node served is from the target's module, so no other
 * namespace appears, and the values (numbers, booleans, strings, no identityrefs) read the same as in JSON.
 */
export function yangXml(name: string, value: YangValue, namespace: string): string {
  return element(name, value, '', ` xmlns="${namespace}"`);
}
