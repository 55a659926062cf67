import { compileSqlFilter } from '../../../tools/funchost/servicebus/sql-filter';
import { newEmulator } from './harness';

const subject = (user: Record<string, unknown>, system: Record<string, unknown> = {}) => ({
  user: (name: string) => user[name],
  system: (name: string) => system[name.toLowerCase()],
});

describe('SQL filter expressions', () => {
  it.each([
    ["EventType = 'A'", { EventType: 'A' }, true],
    ["EventType = 'A'", { EventType: 'B' }, false],
    ["EventType <> 'A'", { EventType: 'B' }, true],
    ["EventType != 'A'", {}, false], // NULL compares as unknown
    ["NOT (EventType = 'A')", {}, false],
    ["NOT (EventType = 'A')", { EventType: 'B' }, true],
    ["EventType = 'A' OR EventType = 'B'", { EventType: 'B' }, true],
    ["EventType = 'A' AND Priority > 2", { EventType: 'A', Priority: 3 }, true],
    ["EventType = 'A' AND Priority > 2", { EventType: 'A', Priority: 2 }, false],
    ["(EventType = 'A' OR EventType = 'B') AND Region = 'kr'", { EventType: 'B', Region: 'kr' }, true],
    ["EventType LIKE '%Completed%'", { EventType: 'AnalysisCompleted' }, true],
    ["EventType LIKE 'Trip_enerated'", { EventType: 'TripGenerated' }, true],
    ["EventType LIKE 'Trip_enerated'", { EventType: 'TripXXenerated' }, false],
    ["EventType NOT LIKE 'Trip%'", { EventType: 'ModelTrained' }, true],
    ["Code LIKE '50!%' ESCAPE '!'", { Code: '50%' }, true],
    ["Code LIKE '50!%' ESCAPE '!'", { Code: '500' }, false],
    ['Region IS NULL', {}, true],
    ['Region IS NOT NULL', { Region: 'kr' }, true],
    ["Region IN ('kr', 'jp')", { Region: 'jp' }, true],
    ["Region NOT IN ('kr', 'jp')", { Region: 'us' }, true],
    ['EXISTS(Region)', { Region: 'kr' }, true],
    ['1=1', {}, true],
    ['1=0', {}, false],
    ['Urgent = TRUE', { Urgent: true }, true],
    ["Note = 'it''s'", { Note: "it's" }, true],
    ["eventtype = 'A'", { EventType: 'A' }, false], // user property names are case-sensitive here
    ["user.EventType = 'A'", { EventType: 'A' }, true],
  ])('%s on %j is %s', (source, props, expected) => {
    expect(compileSqlFilter(source)(subject(props))).toBe(expected);
  });

  it('reads system properties through sys.', () => {
    const filter = compileSqlFilter("sys.Label = 'x' AND sys.MessageId LIKE 'job-%'");
    expect(filter(subject({}, { label: 'x', messageid: 'job-1' }))).toBe(true);
    expect(filter(subject({}, { label: 'y', messageid: 'job-1' }))).toBe(false);
  });

  it('rejects what it cannot read', () => {
    expect(() => compileSqlFilter("EventType = 'A' OR")).toThrow(/SQL filter/);
    expect(() => compileSqlFilter('EventType ~ 1')).toThrow(/SQL filter/);
  });
});

describe('topic subscriptions of the real topology', () => {
  const events = (eventType: string | undefined, topic = 'ai-events') => {
    const { emulator } = newEmulator();
    const result = emulator.send(topic, {
      body: { eventType },
      applicationProperties: eventType === undefined ? {} : { EventType: eventType },
    });
    return result.outcome === 'enqueued' ? result.destinations.map((d) => d.path.split('/').pop()) : [];
  };

  it.each([
    ['TripGenerated', ['trip-service-subscription', 'notification-service-subscription']],
    ['RecommendationReady', ['trip-service-subscription']],
    ['PersonalizationUpdated', ['user-service-subscription']],
    ['PreferenceAnalyzed', ['user-service-subscription']],
    ['AnalysisCompleted', ['analytics-service-subscription', 'notification-service-subscription']],
    ['BatchCompleted', ['analytics-service-subscription']],
    ['TrendAnalysis', ['analytics-service-subscription']],
    ['Unrelated', []],
  ])('ai-events %s reaches %j', (eventType, expected) => {
    expect(events(eventType)).toEqual(expected);
  });

  it('an event without EventType reaches no ai-events subscriber', () => {
    expect(events(undefined)).toEqual([]);
  });

  it.each([
    ['ModelTrained', ['model-management-subscription', 'monitoring-service-subscription']],
    ['ModelDeployed', ['model-management-subscription', 'monitoring-service-subscription']],
    ['ModelDrift', ['monitoring-service-subscription']],
  ])('ai-model-events %s reaches %j', (eventType, expected) => {
    expect(events(eventType, 'ai-model-events')).toEqual(expected);
  });

  it('each subscription holds its own copy, readable by path', () => {
    const { emulator } = newEmulator();
    emulator.send('ai-events', {
      body: 'x',
      messageId: 'e-1',
      applicationProperties: { EventType: 'TripGenerated' },
    });
    expect(
      emulator.peek('ai-events/Subscriptions/trip-service-subscription').map((m) => m.messageId),
    ).toEqual(['e-1']);
    expect(emulator.peek('AI-EVENTS/subscriptions/NOTIFICATION-service-subscription')).toHaveLength(1);
    expect(emulator.peek('ai-events/Subscriptions/user-service-subscription')).toEqual([]);
  });
});
