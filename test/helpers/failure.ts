/** How a promise fails, as `exitCode: message | hint`; throws when it does not fail. */
export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { hint?: string; exitCode?: number };
    return `${e.exitCode}: ${e.message} | ${e.hint ?? ''}`;
  }
  throw new Error('expected a failure');
}
