import { app } from '@azure/functions';
import { getCatalog, putCatalog } from '../lib/api/catalog-api';
import { withErrorResponses } from '../lib/api/error-response';
import { appServices } from '../lib/app-services';

// Function keys in Azure, like the jobs API.
const authLevel = 'function' as const;

app.http('putCatalog', {
  route: 'catalog/{destination}',
  methods: ['PUT'],
  authLevel,
  handler: withErrorResponses((request) => putCatalog(request, appServices())),
});

app.http('getCatalog', {
  route: 'catalog/{destination}',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request) => getCatalog(request, appServices())),
});
