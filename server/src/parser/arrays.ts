// `target.push(...items)` passes every item as a function argument: past about 100,000 items it
// overflows the stack (RangeError). Arrays built from input go through here instead.

/** Appends `items` to `target` in order, one push per item. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
