import { formatIssues } from '../../lib/contracts/field-issues';
import { parseTripGenerationRequest } from '../../lib/contracts/trip-generation-request';
import type { ParsedRequest } from './intake';

/** The contract as the trigger and the API use it. */
export const tripRequestParsing = {
  parseRequest: (body: unknown): ParsedRequest => parseTripGenerationRequest(body),
  formatIssues,
};
