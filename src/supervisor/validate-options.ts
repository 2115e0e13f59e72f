/**
 * Checks the supervisor's options once, up front, with "expected X, got Y"
 * messages, so that a wiring mistake fails before any child is spawned.
 */
import type { SupervisorOptions } from './types.js';

/** Throws a TypeError naming the first option that is wrong. */
export function validateSupervisorOptions(options: SupervisorOptions): void {
  if (typeof options.nodePath !== 'string' || options.nodePath === '') {
    throw new TypeError(`Expected nodePath to be the path of the node binary, got ${show(options.nodePath)}`);
  }
  if (!Number.isFinite(options.shutdownGraceMs) || options.shutdownGraceMs < 0) {
    throw new TypeError(`Expected shutdownGraceMs to be a non-negative number, got ${show(options.shutdownGraceMs)}`);
  }
  if (!Array.isArray(options.children) || options.children.length === 0) {
    throw new TypeError(`Expected children to be a non-empty array, got ${show(options.children)}`);
  }
  const earlier = new Set<string>();
  for (const [index, child] of options.children.entries()) {
    if (typeof child.name !== 'string' || !/^[\w-]+$/.test(child.name) || earlier.has(child.name)) {
      throw new TypeError(`Expected children[${index}].name to be a unique word, got ${show(child.name)}`);
    }
    if (!Array.isArray(child.args) || !child.args.every((arg) => typeof arg === 'string')) {
      throw new TypeError(`Expected children[${index}].args to be an array of strings, got ${show(child.args)}`);
    }
    if (child.waitForReadyOf !== undefined && !earlier.has(child.waitForReadyOf)) {
      const got = show(child.waitForReadyOf);
      throw new TypeError(`Expected children[${index}].waitForReadyOf to name an earlier child, got ${got}`);
    }
    earlier.add(child.name);
  }
}

/** A value as it appears in an error message. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
