import telemetry from '../../src/lib/telemetry/telemetry-alerts.json';
import { MetricNames } from '../../src/lib/telemetry/metrics';
import { body, deployment, get, prodParams, resourcesOfType } from './infra-fixture';
import type { ObjectValue } from '../../tools/bicepcheck/values';

describe('telemetry alerts (telemetry-alerts.bicep)', () => {
  const rule = async (name: string) => {
    const rules = resourcesOfType(await deployment(prodParams), 'Microsoft.Insights/scheduledQueryRules').map(
      body,
    );
    const found = rules.find((r) => r.name === name);
    expect(found).toBeDefined();
    const criterion = (get(found, 'properties.criteria.allOf') as ObjectValue[])[0]!;
    return {
      query: String(get(criterion, 'query')),
      operator: get(criterion, 'operator'),
      threshold: get(criterion, 'threshold'),
      windowSize: get(found, 'properties.windowSize'),
      actions: get(found, 'properties.actions.actionGroups') as unknown[],
    };
  };

  it('the app instruments and the alerts read one file of names', () => {
    expect(MetricNames).toEqual(telemetry.metrics);
  });

  it('alert on the job completion rate from the completed and failed counters, with the business target', async () => {
    const r = await rule('ai-job-completion-rate');
    expect(r.query).toContain(`"${MetricNames.jobsCompleted}", "${MetricNames.jobsFailed}"`);
    expect(r.query).toContain(`where ended >= ${telemetry.alerts.jobCompletionPercent.minimumJobs}`);
    expect(r).toMatchObject({ operator: 'LessThan', threshold: 95, windowSize: 'PT1H' });
    expect(r.actions).toHaveLength(1);
  });

  it('alert on job duration (histogram mean) over 5 minutes and on checkpoint latency', async () => {
    const duration = await rule('ai-job-duration');
    expect(duration.query).toBe(
      `customMetrics | where name == "${MetricNames.jobDuration}" | summarize AggregatedValue = sum(valueSum) / sum(valueCount)`,
    );
    expect(duration).toMatchObject({ operator: 'GreaterThan', threshold: 300 });
    const latency = await rule('ai-checkpoint-latency');
    expect(latency.query).toContain(`name == "${MetricNames.checkpointLatency}"`);
    expect(latency).toMatchObject({
      operator: 'GreaterThan',
      threshold: telemetry.alerts.checkpointLatencyMs.threshold,
    });
  });

  it('alert on the recommendation cache hit ratio below 80 %', async () => {
    const r = await rule('ai-recommendation-cache-hit-ratio');
    expect(r.query).toContain(`tostring(customDimensions.cache) == "recommendation"`);
    expect(r.query).toContain(`"${MetricNames.cacheHits}", "${MetricNames.cacheMisses}"`);
    expect(r).toMatchObject({ operator: 'LessThan', threshold: 80 });
  });
});
