// Structure of a request, checked by ajv against schemas/portfolio-request.schema.json (the one
// structural truth), and its errors indexed by the place in the document they are about, so the
// document walk can report each in document order with a friendly message (ajv's own wording is
// never shown).
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { portfolioRequestSchema } from '../schemas';

/** What ajv found wrong at one JSON pointer of the document. */
interface StructureIssues {
  /** the value itself is wrong (type, enum, pattern, length, array size, …) */
  invalid: boolean;
  /** required properties that are absent, in the schema's order */
  missing: string[];
}

export type StructureIssueIndex = ReadonlyMap<string, StructureIssues>;

let compiled: ValidateFunction | undefined;

/** Compiled once, on first use: compilation takes milliseconds, validation microseconds. */
function requestValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    compiled = ajv.compile(portfolioRequestSchema);
  }
  return compiled;
}

/** null when the structure is valid; otherwise every issue, keyed by JSON pointer. */
export function checkStructure(input: unknown): StructureIssueIndex | null {
  const validate = requestValidator();
  if (validate(input)) return null;
  const index = new Map<string, StructureIssues>();
  for (const error of validate.errors ?? []) addIssue(index, error);
  return index;
}

function addIssue(index: Map<string, StructureIssues>, error: ErrorObject): void {
  let issues = index.get(error.instancePath);
  if (issues === undefined) {
    issues = { invalid: false, missing: [] };
    index.set(error.instancePath, issues);
  }
  switch (error.keyword) {
    case 'required':
      issues.missing.push(String(error.params.missingProperty));
      return;
    case 'additionalProperties':
      // The walk meets the unknown field itself and reports it in place.
      return;
    default:
      issues.invalid = true;
  }
}
