/**
 * A minimal AsyncDisposableStack (Node 20 has `Symbol.asyncDispose` but not the stack): resources are
 * disposed in reverse order, and every disposal runs even if an earlier one fails.
 */
export class Disposer implements AsyncDisposable {
  readonly #resources: AsyncDisposable[] = [];

  use<T extends AsyncDisposable>(resource: T): T {
    this.#resources.push(resource);
    return resource;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const errors: unknown[] = [];
    for (const resource of this.#resources.splice(0).reverse()) {
      try {
        await resource[Symbol.asyncDispose]();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'Removing lab resources failed');
  }
}
