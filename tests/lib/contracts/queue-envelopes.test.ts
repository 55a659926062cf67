import { parseQueueMessage, QUEUE_CONTRACTS } from '../../../src/lib/contracts/queue-envelopes';
import { QueueNames, topology } from '../../../src/lib/messaging/topology';

describe('queue contracts', () => {
  it('exist for every queue of the topology', () => {
    const covered = [
      QueueNames.tripGeneration,
      QueueNames.analysis,
      QueueNames.batchProcessing,
      QueueNames.modelTraining,
      ...Object.keys(QUEUE_CONTRACTS),
    ].sort();
    expect(covered).toEqual(topology.queues.map((q) => q.name).sort());
  });

  it('accept a valid message and report every bad field by path', () => {
    expect(parseQueueMessage('ai-recommendation', { jobId: 'j1', userId: 'u1', type: 'places' })).toEqual({
      ok: true,
      value: { schemaVersion: 1, jobId: 'j1', userId: 'u1', type: 'places' },
    });
    const bad = parseQueueMessage('ai-batch-processing', {
      jobId: 'j 1',
      operation: 'explode',
      items: [],
      extra: true,
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['jobId', 'operation', 'items', '']),
    );
    expect(
      parseQueueMessage('ai-model-training', {
        jobId: 'j',
        userId: 'u',
        modelName: 'm',
        dataset: { uri: 'nope' },
      }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'dataset.uri', message: 'must be an http(s) URL of a blob' }],
    });
    expect(parseQueueMessage('nowhere', {})).toMatchObject({
      ok: false,
      issues: [{ message: 'no contract for queue "nowhere"' }],
    });
  });

  it('answer a message from a newer contract version with that one fact', () => {
    expect(
      parseQueueMessage('ai-analysis', { schemaVersion: 3, jobId: 'j', userId: 'u', whatever: 1 }),
    ).toEqual({
      ok: false,
      issues: [
        {
          path: 'schemaVersion',
          message: 'version 3 is newer than this service understands (it speaks version 1); send version 1',
        },
      ],
    });
  });

  it('pass the job id generator through to the trip request', () => {
    const minimalTrip = {
      tripId: 't',
      userId: 'u',
      destination: 'Busan',
      startDate: '2026-05-01',
      days: 1,
      pace: 'relaxed',
      interests: {},
      transport: 'walk',
      places: [
        {
          id: 'p',
          name: 'P',
          lat: 35.1,
          lng: 129.0,
          category: 'park',
          visitMinutes: 30,
          priceLevel: 0,
          rating: 4,
        },
      ],
    };
    expect(parseQueueMessage('ai-trip-generation', minimalTrip, { newJobId: () => 'job-x' })).toMatchObject({
      ok: true,
      value: { jobId: 'job-x', sessionId: 'u', dayStart: '09:00', dayEnd: '21:00' },
    });
    expect(parseQueueMessage('ai-trip-generation', minimalTrip)).toMatchObject({
      ok: false,
      issues: [{ path: 'jobId' }],
    });
  });
});
