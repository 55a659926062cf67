import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { CONTRACT_PARSE_PARAMS } from '../contracts/common-fields';
import { toFieldIssues } from '../contracts/field-issues';
import type { RoutingRecord } from '../models/model-registry';
import { announceDeployment, lastDecision } from '../recommendations/deployment-events';
import { deploymentRefusal, rollbackRefusal } from '../recommendations/deployment-rules';
import type { ModelServing } from '../recommendations/model-serving';
import { callerOf } from './caller';
import { conflict, json, notFound, validationFailed } from './http-responses';
import { readJsonBody } from './json-body';

const reason = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const deploymentBody = z.strictObject({
  version: z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1'),
  percent: z
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be from 1 to 100')
    .max(100, 'must be from 1 to 100'),
  reason: reason.optional(),
});
const rollbackBody = z.strictObject({ reason: reason.optional() });

/**
 * GET /api/models/{modelName}: the routing record (with every decision), every version's record and
 * the canary guard's latest checks (waits included) with their figures.
 */
export async function getModel(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  return withModel(request, services, async (serving, modelName) => {
    const [routing, versions, guardChecks] = await Promise.all([
      serving.registry.getRouting(modelName),
      serving.registry.listVersions(modelName),
      serving.guardLog.read(modelName),
    ]);
    if (versions.length === 0 && routing.decisions.length === 0) return notFound(`model ${modelName}`);
    // The canary guard's latest looks (all of them are in models/<name>/guard-checks.json).
    return json(200, { modelName, routing, versions, guardChecks: guardChecks.slice(-20) });
  });
}

/**
 * POST /api/models/{modelName}/deployments {version, percent, reason?}: percent 1-99 makes the version
 * the canary for that share of users, 100 promotes it to production (the previous one retires).
 * Refused transitions (deployment-rules.ts) answer 409; ModelDeployed is announced.
 */
export async function deployModel(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  return withModel(request, services, async (serving, modelName) => {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = deploymentBody.safeParse(body.value, CONTRACT_PARSE_PARAMS);
    if (!parsed.success) return validationFailed(toFieldIssues(parsed.error));
    const { version, percent } = parsed.data;
    const record = await serving.registry.getVersion(modelName, version);
    if (!record) return notFound(`version ${version} of model ${modelName}`);
    const refusal = deploymentRefusal(await serving.registry.getRouting(modelName), record, percent);
    if (refusal) return conflict(refusal);
    const routing = await serving.registry.deploy(
      modelName,
      version,
      percent,
      parsed.data.reason ??
        (percent === 100 ? 'promoted through the model API' : 'canary through the model API'),
    );
    return changed(services, serving, routing);
  });
}

/** POST /api/models/{modelName}/rollback {reason?}: all traffic back to production; the canary is rolled_back. */
export async function rollbackModel(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  return withModel(request, services, async (serving, modelName) => {
    const text = await request.text();
    let value: unknown = {};
    if (text.trim() !== '') {
      const body = await readJsonBody({ headers: request.headers, text: async () => text });
      if (!body.ok) return body.response;
      value = body.value;
    }
    const parsed = rollbackBody.safeParse(value, CONTRACT_PARSE_PARAMS);
    if (!parsed.success) return validationFailed(toFieldIssues(parsed.error));
    const current = await serving.registry.getRouting(modelName);
    if (current.decisions.length === 0 && (await serving.registry.listVersions(modelName)).length === 0)
      return notFound(`model ${modelName}`);
    const refusal = rollbackRefusal(current);
    if (refusal) return conflict(refusal);
    const routing = await serving.registry.rollback(
      modelName,
      parsed.data.reason ?? 'rolled back through the model API',
    );
    return changed(services, serving, routing);
  });
}

async function changed(
  services: AppServices,
  serving: ModelServing,
  routing: RoutingRecord,
): Promise<HttpResponseInit> {
  serving.routing.invalidate(routing.modelName);
  const decision = lastDecision(routing);
  await announceDeployment(services.eventPublisher(), routing, decision);
  return json(200, { modelName: routing.modelName, routing, decision });
}

/**
 * The caller (401 unsigned, 403 not an admin), the model name checked by the registry's own rule
 * (400 naming `modelName`), then the handler.
 */
async function withModel(
  request: HttpRequest,
  services: AppServices,
  handler: (serving: ModelServing, modelName: string) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  // Models are operated by admins (the Entra ID app role AUTH_ADMIN_ROLE); with authentication off
  // (local development) every caller is one.
  const who = callerOf(request, services.settings.auth);
  if (!who.ok) return who.response;
  if (!who.caller.isAdmin)
    return json(403, {
      error: 'Forbidden',
      message: `the model API is for admins (app role ${services.settings.auth.adminRole})`,
    });
  const modelName = request.params.modelName ?? '';
  const serving = await services.modelServing();
  try {
    await serving.ready();
    return await handler(serving, modelName);
  } catch (error) {
    if (error instanceof RangeError && /^(modelName|version|percent): /.test(error.message)) {
      const [path, ...rest] = error.message.split(': ');
      return validationFailed([{ path: path!, message: rest.join(': ') }]);
    }
    throw error;
  }
}
