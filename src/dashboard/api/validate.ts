/** Runs a schema over request input and turns its first problem into a 400 that says what is wrong. */
import type { z } from 'zod';
import { badRequest } from './http-errors.js';

type Issue = z.core.$ZodIssue;

/** One line naming the field and what is wrong with it. */
export function describeIssue(issue: Issue, where: string): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `${where} has unknown field${issue.keys.length === 1 ? '' : 's'} ${keys}`;
  }
  const field = issue.path.map(String).join('.');
  if (!field || issue.message.startsWith(field)) return issue.message;
  return `${field}: ${issue.message}`;
}

/** The parsed value, or a thrown 400 describing the first issue. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badRequest(describeIssue(result.error.issues[0]!, where));
}
