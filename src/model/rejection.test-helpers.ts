/** For tests: the error a promise rejects with, checked to be of the expected class (a resolve fails the test). */
import { expect } from 'vitest';

export async function rejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
