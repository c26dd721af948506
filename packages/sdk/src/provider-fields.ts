/** Reading fields of provider requests and answers, which the SDK types only as loosely as it must. */

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord {
  return typeof value === 'object' && value !== null ? (value as JsonRecord) : {};
}

export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A token count, or undefined when the provider sent none (or nonsense). */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A copy of the array, so the caller pushing the reply onto its `messages` does not rewrite the recorded input. */
export function snapshot(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

/** The request's sampling parameters worth seeing beside a generation, and the names of its tools. */
export function requestMetadata(request: JsonRecord, parameterNames: readonly string[]): JsonRecord {
  const parameters = Object.fromEntries(
    parameterNames.filter((name) => request[name] !== undefined).map((name) => [name, request[name]]),
  );
  const tools = Array.isArray(request.tools)
    ? request.tools.map((tool) => {
        const fields = asRecord(tool);
        return stringField(asRecord(fields.function).name) ?? stringField(fields.name) ?? stringField(fields.type);
      })
    : undefined;
  return {
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(tools ? { tools } : {}),
  };
}
