import { randomUUID } from 'node:crypto';
import { coreRegistry, type RegisteredFunction } from './core-api';

/** An RPC TypedData value: { json }, { string }, { bytes }, { modelBindingData }, ... */
export type RpcTypedData = Record<string, unknown>;

export interface InvocationRequest {
  /** The trigger binding's value. */
  triggerData: RpcTypedData;
  /** Values for the other input bindings, by binding type (e.g. durableClient). */
  inputsByType?: Record<string, RpcTypedData>;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  /** Also run the model's getResponse (HTTP: writes the response through the stream proxy). */
  respond?: boolean;
}

export interface InvocationOutcome {
  /** What the handler returned, before output conversion. */
  result: unknown;
  /** What it threw, if it threw. */
  error?: unknown;
  /** The InvocationContext @azure/functions built (durable-functions hangs its `df` on it). */
  context: { df?: unknown } & Record<string, unknown>;
  invocationId: string;
}

/**
 * Function logs, as the Functions host prints them: warnings and errors always, the rest when
 * FUNCHOST_VERBOSE=1 (`npm run dev` sets it).
 */
function writeLog(functionName: string, level: string, category: string, message: string): void {
  coreRegistry().logs.push({ level, category, message: `[${functionName}] ${message}` });
  const verbose = process.env.FUNCHOST_VERBOSE === '1';
  if (/error|critical/i.test(level)) console.error(`[${functionName}] ${message}`);
  else if (/warn/i.test(level)) console.warn(`[${functionName}] ${message}`);
  else if (verbose) console.log(`[${functionName}] ${message}`);
}

export function triggerBinding(fn: RegisteredFunction): { name: string; type: string } {
  const entry = Object.entries(fn.metadata.bindings).find(
    ([, b]) => b.direction === 'in' && /Trigger$/i.test(b.type),
  );
  if (!entry) throw new Error(`Function "${fn.metadata.name}" has no trigger binding`);
  return { name: entry[0], type: entry[1].type };
}

/**
 * Runs one function the way the Node worker does: the programming model's InvocationModel turns the
 * RPC request into the handler's arguments (getArguments) and runs it (invokeFunction).
 */
export async function invoke(fn: RegisteredFunction, request: InvocationRequest): Promise<InvocationOutcome> {
  const model = fn.programmingModel ?? coreRegistry().programmingModel;
  if (!model) throw new Error('The app never set a programming model: was @azure/functions loaded?');
  const invocationId = request.invocationId ?? randomUUID();
  const trigger = triggerBinding(fn);
  const inputData = [{ name: trigger.name, data: request.triggerData }];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (name === trigger.name || binding.direction !== 'in') continue;
    const data = request.inputsByType?.[binding.type];
    if (!data)
      throw new Error(
        `The local host has no value for input binding "${name}" (${binding.type}) of "${fn.metadata.name}"`,
      );
    inputData.push({ name, data });
  }
  const invocationModel = model.getInvocationModel({
    invocationId,
    metadata: fn.metadata,
    log: (level: string, category: string, message: string) =>
      writeLog(fn.metadata.name, level, category, message),
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData,
      triggerMetadata: request.triggerMetadata ?? {},
    },
  });
  const { context, inputs } = await invocationModel.getArguments();
  try {
    const result = await invocationModel.invokeFunction(context, inputs, fn.callback);
    if (request.respond) await invocationModel.getResponse(context, result);
    return { result, context: context as InvocationOutcome['context'], invocationId };
  } catch (error) {
    return { result: undefined, error, context: context as InvocationOutcome['context'], invocationId };
  }
}
