import { parseInteraction, type Interaction } from '../contracts/interaction';
import { formatIssues } from '../contracts/field-issues';
import { CALL_ID_PATTERN } from './log-layout';

/**
 * One line of the interaction log: the interaction and the call it came in, by the call's
 * idempotency id and the row's index in it. The pair names the row for ever: a retried call writes
 * the same pairs again, and the reader keeps the first copy of each.
 */
export interface LogLine {
  v: 1;
  callId: string;
  i: number;
  interaction: Interaction;
}

export function encodeLine(callId: string, index: number, interaction: Interaction): string {
  return `${JSON.stringify({ v: 1, callId, i: index, interaction } satisfies LogLine)}\n`;
}

export type DecodedLine = { ok: true; line: LogLine } | { ok: false; reason: string };

/** Reads one stored line back, saying what is wrong with it rather than throwing. */
export function decodeLine(text: string): DecodedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, reason: 'is not a JSON object' };
  const { v, callId, i, interaction } = raw as Record<string, unknown>;
  if (v !== 1) return { ok: false, reason: `has unknown line version ${JSON.stringify(v)}` };
  if (typeof callId !== 'string' || !CALL_ID_PATTERN.test(callId))
    return { ok: false, reason: 'callId: must be 1-128 of A-Za-z0-9_.:-' };
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0)
    return { ok: false, reason: 'i: must be a whole number from 0' };
  const parsed = parseInteraction(interaction);
  if (!parsed.ok)
    return {
      ok: false,
      reason: formatIssues(parsed.issues.map((x) => ({ ...x, path: `interaction.${x.path}` }))),
    };
  return { ok: true, line: { v: 1, callId, i, interaction: parsed.value } };
}

/**
 * Packs encoded lines into blocks of at most `maxBlockBytes`, never splitting a line: a block is
 * written whole or not at all, so a blob only ever holds whole lines, whatever fails.
 */
export function packBlocks(lines: string[], maxBlockBytes: number): Buffer[] {
  const blocks: Buffer[] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    if (bytes.length > maxBlockBytes)
      throw new Error(`a log line of ${bytes.length} bytes exceeds the block limit of ${maxBlockBytes}`);
    if (size + bytes.length > maxBlockBytes) {
      blocks.push(Buffer.concat(current, size));
      current = [];
      size = 0;
    }
    current.push(bytes);
    size += bytes.length;
  }
  if (size > 0) blocks.push(Buffer.concat(current, size));
  return blocks;
}
