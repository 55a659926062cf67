import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { deployModel, getModel, rollbackModel } from '../lib/api/models-api';
import { getRecommendations } from '../lib/api/recommendations-api';
import { appServices } from '../lib/app-services';
import { withErrorResponses } from '../lib/api/error-response';

// Function keys in Azure, like the jobs API; the local host does not check keys. Redis out of reach
// answers 503 with Retry-After, anything unexpected 500 with an error id (error-response.ts).
const authLevel = 'function' as const;

app.http('getModel', {
  route: 'models/{modelName}',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request: HttpRequest) => getModel(request, appServices())),
});

app.http('deployModel', {
  route: 'models/{modelName}/deployments',
  methods: ['POST'],
  authLevel,
  handler: withErrorResponses((request: HttpRequest) => deployModel(request, appServices())),
});

app.http('rollbackModel', {
  route: 'models/{modelName}/rollback',
  methods: ['POST'],
  authLevel,
  handler: withErrorResponses((request: HttpRequest) => rollbackModel(request, appServices())),
});

app.http('getRecommendations', {
  route: 'users/{userId}/recommendations',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request: HttpRequest, context: InvocationContext) =>
    getRecommendations(request, appServices(), context),
  ),
});
