/** Small helpers of the read side. The row mappers themselves are the repositories' (toUser, toPayment, withChats). */

/** Groups items by a numeric key, keeping their order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
