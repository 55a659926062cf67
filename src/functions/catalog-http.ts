import { app, type HttpRequest } from '@azure/functions';
import { getCatalog, putCatalog } from '../lib/api/catalog-api';
import { appServices } from '../lib/app-services';

// Function keys in Azure, like the jobs API.
const authLevel = 'function' as const;

app.http('putCatalog', {
  route: 'catalog/{destination}',
  methods: ['PUT'],
  authLevel,
  handler: (request: HttpRequest) => putCatalog(request, appServices()),
});

app.http('getCatalog', {
  route: 'catalog/{destination}',
  methods: ['GET'],
  authLevel,
  handler: (request: HttpRequest) => getCatalog(request, appServices()),
});
