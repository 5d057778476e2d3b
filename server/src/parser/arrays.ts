// Array helpers for input-sized arrays. `target.push(...items)` passes every item as a function
// argument: past about 100,000 items it overflows the stack (RangeError), so arrays built from
// input are appended to through here; and one binary search for sorted offsets.

/**
 * Binary search over `count` ascending keys: the last index whose key is at or before `at` (0 when
 * none is, so callers with a first key of 0 always get a valid index).
 */
export function lastIndexAtOrBefore(count: number, keyAt: (index: number) => number, at: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (keyAt(mid) <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Appends `items` to `target` in order, one push per item. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
