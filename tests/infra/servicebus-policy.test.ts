import topology from '../../src/lib/messaging/topology.json';
import {
  deployment,
  get,
  prodParams,
  resourcesOfType,
  seededDeployment,
  single,
  body,
} from './infra-fixture';
import type { ObjectValue } from '../../tools/bicepcheck/values';

// Entity sizes Service Bus Premium accepts (MB).
const PREMIUM_SIZES = [1024, 2048, 3072, 4096, 5120, 10240, 20480, 40960, 81920];

function withoutKeys(entry: object, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !keys.includes(k)));
}

/** What Premium makes of a topology entry: no per-entity partitioning, the next Premium size. */
function premium(entry: { maxSizeInMegabytes: number }, ...nesting: string[]): Record<string, unknown> {
  return {
    ...withoutKeys(entry, 'name', ...nesting),
    enablePartitioning: false,
    maxSizeInMegabytes: PREMIUM_SIZES.find((s) => s >= entry.maxSizeInMegabytes),
  };
}

describe('Service Bus plan policy (prod.bicepparam)', () => {
  it('runs Premium with 4 messaging units in Korea Central, paired with Korea South', async () => {
    const namespaces = resourcesOfType(await deployment(prodParams), 'Microsoft.ServiceBus/namespaces').map(
      body,
    );
    expect(namespaces.map((n) => [n.name, n.location, n.sku])).toEqual([
      ['ai-servicebus-prod', 'koreacentral', { name: 'Premium', tier: 'Premium', capacity: 4 }],
      ['ai-servicebus-prod-secondary', 'koreasouth', { name: 'Premium', tier: 'Premium', capacity: 4 }],
    ]);
  });

  it('pairs them through the ai-servicebus-dr Geo-DR alias on the primary', async () => {
    const d = await deployment(prodParams);
    const [alias] = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/disasterRecoveryConfigs');
    expect(alias && body(alias).name).toBe('ai-servicebus-dr');
    expect(get(alias && body(alias), 'parent.name')).toBe('ai-servicebus-prod');
    expect(get(alias && body(alias), 'properties')).toHaveProperty('partnerNamespace');
  });

  it('denies by default on both namespaces, lets trusted services in, and has the private endpoint in its zone', async () => {
    const d = await deployment(prodParams);
    const rules = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/networkRuleSets').map(body);
    expect(rules.map((r) => get(r, 'parent.name'))).toEqual([
      'ai-servicebus-prod',
      'ai-servicebus-prod-secondary',
    ]);
    for (const rule of rules) {
      expect(get(rule, 'properties')).toMatchObject({
        defaultAction: 'Deny',
        trustedServiceAccessEnabled: true,
        publicNetworkAccess: 'Disabled',
        ipRules: [{ ipMask: '10.0.0.0/16', action: 'Allow' }],
      });
    }
    const endpoint = resourcesOfType(d, 'Microsoft.Network/privateEndpoints')
      .map(body)
      .find((e) => e.name === 'ai-servicebus-pe-prod');
    expect(JSON.stringify(get(endpoint, 'properties.privateLinkServiceConnections'))).toContain(
      '"groupIds":["namespace"]',
    );
    expect(resourcesOfType(d, 'Microsoft.Network/privateDnsZones').map((z) => body(z).name)).toContain(
      'privatelink.servicebus.windows.net',
    );
  });

  it('is Entra ID only by default: local auth off, public access off, no SAS rule or key secret', async () => {
    const d = await deployment(prodParams);
    for (const namespace of resourcesOfType(d, 'Microsoft.ServiceBus/namespaces').map(body)) {
      expect(get(namespace, 'properties.disableLocalAuth')).toBe(true);
      expect(get(namespace, 'properties.publicNetworkAccess')).toBe('Disabled');
    }
    expect(resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/AuthorizationRules')).toEqual([]);
  });

  it('keeps the plan’s ai-service-full-access rule (Send, Listen, Manage) behind serviceBusAllowSharedAccessKeys', async () => {
    const { d } = await seededDeployment(
      '../bicep/prod.bicepparam',
      'param serviceBusAllowSharedAccessKeys = false',
      'param serviceBusAllowSharedAccessKeys = true',
    );
    const rule = single(d, 'Microsoft.ServiceBus/namespaces/AuthorizationRules');
    expect([rule.name, get(rule, 'properties.rights')]).toEqual([
      'ai-service-full-access',
      ['Send', 'Listen', 'Manage'],
    ]);
    expect(get(single(d, 'Microsoft.ServiceBus/namespaces/disasterRecoveryConfigs'), 'name')).toBe(
      'ai-servicebus-dr',
    );
    const namespaces = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces').map(body);
    expect(namespaces.map((n) => get(n, 'properties.disableLocalAuth'))).toEqual([false, false]);
  });

  it('creates every queue of topology.json with its settings, made Premium-valid', async () => {
    const queues = resourcesOfType(
      await deployment(prodParams),
      'Microsoft.ServiceBus/namespaces/queues',
    ).map(body);
    expect(queues.map((q) => q.name)).toEqual(topology.queues.map((q) => q.name));
    for (const entry of topology.queues) {
      expect(queues.find((q) => q.name === entry.name)?.properties).toEqual(premium(entry));
    }
  });

  it('creates every topic, subscription and SQL filter rule of topology.json', async () => {
    const d = await deployment(prodParams);
    const topics = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/topics').map(body);
    expect(topics.map((t) => [t.name, t.properties])).toEqual(
      topology.topics.map((t) => [t.name, premium(t, 'subscriptions')]),
    );
    const subscriptions = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/topics/subscriptions').map(
      body,
    );
    const rules = resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules').map(body);
    const expected = topology.topics.flatMap((t) => t.subscriptions.map((s) => ({ topic: t.name, ...s })));
    expect(subscriptions.map((s) => [get(s, 'parent.name'), s.name, s.properties])).toEqual(
      expected.map((s) => [s.topic, s.name, withoutKeys(s, 'name', 'rule', 'topic')]),
    );
    expect(
      rules.map((r) => [
        r.name,
        get(r, 'properties.filterType'),
        get(r, 'properties.sqlFilter.sqlExpression'),
      ]),
    ).toEqual(expected.map((s) => [s.rule.name, 'SqlFilter', s.rule.sqlFilter]));
  });

  it('uses only entity sizes Premium accepts', async () => {
    const d = await deployment(prodParams);
    const sizes = [
      ...resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/queues'),
      ...resourcesOfType(d, 'Microsoft.ServiceBus/namespaces/topics'),
    ].map((e) => get(body(e), 'properties.maxSizeInMegabytes'));
    expect(sizes.every((s) => PREMIUM_SIZES.includes(s as number))).toBe(true);
  });

  it("has the plan's alerts, including any dead letter on ai-model-training and 10 minutes without completions", async () => {
    const alerts = resourcesOfType(await deployment(prodParams), 'Microsoft.Insights/metricAlerts')
      .map(body)
      .map((a) => ({ a, c: (get(a, 'properties.criteria.allOf') as ObjectValue[])[0] as ObjectValue }))
      .filter(({ c }) => c.metricNamespace === 'Microsoft.ServiceBus/namespaces')
      .map(({ a, c }) => {
        const entities = (c.dimensions as ObjectValue[])[0]?.values;
        return [
          c.metricName,
          c.operator,
          c.threshold,
          get(a, 'properties.windowSize'),
          get(a, 'properties.severity'),
          entities,
        ];
      });
    const processing = topology.queues.map((q) => q.name).filter((n) => n !== 'ai-model-training');
    expect(alerts).toEqual([
      ['ActiveMessages', 'GreaterThan', 5000, 'PT5M', 1, processing],
      ['ActiveMessages', 'GreaterThan', 3000, 'PT5M', 2, processing],
      ['ActiveMessages', 'GreaterThan', 10, 'PT5M', 2, ['ai-model-training']],
      ['DeadletteredMessages', 'GreaterThan', 5, 'PT5M', 1, ['*']],
      ['DeadletteredMessages', 'GreaterThan', 0, 'PT5M', 0, ['ai-model-training']],
      ['CompleteMessage', 'LessThan', 1, 'PT10M', 0, undefined],
    ]);
  });
});

describe('processing-time alerts (app-alerts.bicep)', () => {
  it('measure orchestrations, not every request (SSE streams last as long as a job)', async () => {
    const rules = resourcesOfType(await deployment(prodParams), 'Microsoft.Insights/scheduledQueryRules').map(
      body,
    );
    const query = (name: string) =>
      String(
        get(
          (
            get(
              rules.find((r) => r.name === name),
              'properties.criteria.allOf',
            ) as ObjectValue[]
          )[0],
          'query',
        ),
      );
    for (const name of ['ai-processing-duration', 'ai-processing-timeout']) {
      expect(query(name)).toMatch(
        /^traces \| where .*Host\.Triggers\.DurableTask.*prop__functionType\) == "Orchestrator"/,
      );
      expect(query(name)).not.toMatch(/\brequests\b/);
    }
    expect(query('ai-processing-duration')).toContain('avg(ended - started) / 1s');
    expect(
      rules.filter((r) => String(r.name).startsWith('ai-processing') || r.name === 'ai-gpu-utilization'),
    ).toHaveLength(3);
  });
});
