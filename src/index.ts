/**
 * The Functions host loads this file (package.json "main" points at its compiled form). Start-up
 * checks run first; then each function module registers its triggers with @azure/functions.
 */
import './startup';
import './functions/trip-generation-orchestration';
import './functions/trip-generation-queue';
import './functions/jobs-http';
import './functions/health-check-timer';
import './functions/schedule-backup-timer';
