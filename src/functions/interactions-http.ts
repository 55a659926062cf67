import { app, type HttpRequest } from '@azure/functions';
import { getProfile, postInteractions } from '../lib/api/interactions-api';
import { appServices } from '../lib/app-services';

// Function keys in Azure, like the jobs API; the local host does not check keys.
const authLevel = 'function' as const;

app.http('postInteractions', {
  route: 'interactions',
  methods: ['POST'],
  authLevel,
  handler: (request: HttpRequest) => postInteractions(request, appServices()),
});

app.http('getProfile', {
  route: 'users/{userId}/profile',
  methods: ['GET'],
  authLevel,
  handler: (request: HttpRequest) => getProfile(request, appServices()),
});
