/** Registers a timer whose schedule is not NCRONTAB: the host must refuse to start. */
import { app } from '@azure/functions';

app.timer('broken', { schedule: 'every five minutes', handler: () => undefined });
