import { app } from '@azure/functions';
import { withErrorResponses } from '../lib/api/error-response';
import { getProfile, postInteractions } from '../lib/api/interactions-api';
import { appServices } from '../lib/app-services';

// Function keys in Azure, like the jobs API; the local host does not check keys.
const authLevel = 'function' as const;

app.http('postInteractions', {
  route: 'interactions',
  methods: ['POST'],
  authLevel,
  handler: withErrorResponses((request) => postInteractions(request, appServices())),
});

app.http('getProfile', {
  route: 'users/{userId}/profile',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request) => getProfile(request, appServices())),
});
