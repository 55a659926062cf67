import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appServices } from '../lib/app-services';
import { BACKUP_CONTAINER, backupSchedules } from '../lib/backup/schedule-backup';
import { sharedRedis } from '../lib/redis/shared-clients';

/**
 * Every 6 hours (the guide's backup frequency, 360 min): cached trip schedules and their remaining
 * TTLs into Blob storage, backups older than 7 days deleted.
 */
app.timer('scheduleBackup', {
  schedule: '0 0 */6 * * *',
  runOnStartup: false,
  handler: async (timer: Timer, context: InvocationContext) => {
    const services = appServices();
    const { client } = await sharedRedis(services.settings);
    const container = services.backupBlobService().getContainerClient(BACKUP_CONTAINER);
    const result = await backupSchedules(client, container, new Date());
    context.log(
      `Backed up ${result.schedules} schedules to ${BACKUP_CONTAINER}/${result.blobName}; pruned ${result.pruned} old backups` +
        (timer.isPastDue ? ' (run was past due)' : ''),
    );
  },
});
