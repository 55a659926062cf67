/**
 * The Functions host loads this file (package.json "main" points at its compiled form). Start-up
 * checks run first; then each function module registers its triggers with @azure/functions.
 */
import './startup';
import './functions/app-lifecycle';
import './functions/workflow-orchestrations';
import './functions/workflow-queues';
import './functions/jobs-http';
import './functions/interactions-http';
import './functions/models-http';
import './functions/catalog-http';
import './functions/health-check-timer';
import './functions/model-canary-guard-timer';
import './functions/schedule-backup-timer';
import './functions/job-reconcile-timer';
