import path from 'node:path';
import { checkArmRules } from '../../tools/bicepcheck/arm-rules';
import {
  bicepDir,
  deployment,
  devParams,
  lineOf,
  premiumParams,
  prodParams,
  report,
  seededDeployment,
} from './infra-fixture';

/** What ARM rejects beyond the type definitions: each rule catches a seeded mistake at file:line. */
describe('ARM rules (tools/bicepcheck/arm-rules.ts)', () => {
  it.each([
    ['prod', prodParams],
    ['dev', devParams],
    ['premium', premiumParams],
  ])('%s: the real templates break no rule', async (_, params) => {
    expect(report(checkArmRules(await deployment(params)))).toEqual([]);
  });

  it('catches a subscription lock above PT5M', async () => {
    const { d, file } = await seededDeployment(
      'modules/servicebus-topic.bicep',
      "properties: settingsOf(sub, ['name', 'rule'])",
      "properties: union(settingsOf(sub, ['name', 'rule']), { lockDuration: 'PT10M' })",
    );
    const found = checkArmRules(d);
    expect(found).toHaveLength(6); // every subscription of both topics
    expect(found[0]).toEqual({
      file,
      line: lineOf('modules/servicebus-topic.bicep', 'properties: settingsOf(sub'),
      column: expect.any(Number),
      message:
        'Microsoft.ServiceBus/namespaces/topics/subscriptions trip-service-subscription: PT10M is above the 5-minute maximum Service Bus accepts (PT5M)',
    });
  });

  it('catches a queue lock above PT5M written in the template, at its line', async () => {
    const { d, file, line } = await seededDeployment(
      'modules/servicebus-entities.bicep',
      "    properties: premiumEntityProperties(queue, ['name'])\n",
      "    properties: {\n      lockDuration: 'PT30M'\n    }\n",
    );
    expect(checkArmRules(d).filter((f) => f.file === file && f.line === line + 1)).toHaveLength(5);
  });

  it('catches an entity size the Premium tier lacks, and per-entity partitioning on Premium', async () => {
    const sizes = await seededDeployment(
      'modules/servicebus-functions.bicep',
      'maxSizeInMegabytes: premiumSizeMb(entry.maxSizeInMegabytes)',
      'maxSizeInMegabytes: entry.maxSizeInMegabytes',
    );
    const queuesLine = lineOf(
      'modules/servicebus-entities.bicep',
      'properties: premiumEntityProperties(queue',
    );
    expect(checkArmRules(sizes.d).map((f) => [path.relative(bicepDir, f.file), f.line, f.message])).toEqual([
      [
        'modules/servicebus-entities.bicep',
        queuesLine,
        expect.stringMatching(
          /queues ai-analysis: 15360 MB is not an entity size a Premium namespace accepts/,
        ),
      ],
      [
        'modules/servicebus-entities.bicep',
        queuesLine,
        expect.stringMatching(/queues ai-model-training: 51200 MB is not an entity size/),
      ],
    ]);
    const partitioned = await seededDeployment(
      'modules/servicebus-functions.bicep',
      'enablePartitioning: false',
      'enablePartitioning: true',
    );
    expect(checkArmRules(partitioned.d).map((f) => f.message)).toEqual(
      Array(7).fill(expect.stringMatching(/partitions at the namespace/)),
    );
  });

  it('catches messaging units Premium does not sell, at the sku line', async () => {
    const { d, file, line } = await seededDeployment(
      'modules/servicebus.bicep',
      'capacity: messagingUnits',
      'capacity: 3',
    );
    expect(checkArmRules(d)).toContainEqual(
      expect.objectContaining({
        file,
        line,
        message: expect.stringMatching(/Premium takes 1, 2, 4, 8 or 16/),
      }),
    );
  });

  it('catches Premium-only cache settings on a Standard cache', async () => {
    const { d, file } = await seededDeployment(
      'modules/redis.bicep',
      "      name: 'Premium'\n      family: 'P'",
      "      name: 'Standard'\n      family: 'C'",
      premiumParams, // prod runs Managed Redis; the Premium choice is what this rule guards
    );
    const messages = report(checkArmRules(d));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `modules/redis.bicep:${lineOf('modules/redis.bicep', 'shardCount: shardCount')}:`,
        ),
        expect.stringMatching(/only Premium caches take shardCount, not Standard/),
        expect.stringMatching(/only Premium caches persist \(rdb-backup-enabled\)/),
        expect.stringMatching(/only Premium caches are placed in zones/),
      ]),
    );
    expect(file).toMatch(/redis\.bicep$/);
  });

  it('catches a BlockBlobStorage account on a standard SKU', async () => {
    const { d, file, line } = await seededDeployment(
      'modules/backup-storage.bicep',
      "name: 'Premium_ZRS'",
      "name: 'Standard_LRS'",
    );
    expect(checkArmRules(d)).toContainEqual({
      file,
      line,
      column: expect.any(Number),
      message: expect.stringMatching(
        /BlockBlobStorage account is Premium_LRS or Premium_ZRS, not Standard_LRS/,
      ),
    });
  });

  it('catches names ARM refuses: a storage account with hyphens, a vault name too long', async () => {
    const storage = await seededDeployment(
      '../bicep/prod.bicepparam',
      "'sttripgenaifuncprod'",
      "'st-tripgen-func'",
    );
    expect(report(checkArmRules(storage.d))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^infra/bicep/modules/functions-storage.bicep:${lineOf('modules/functions-storage.bicep', 'name: accountName')}:\\d+: .*'st-tripgen-func': .*lowercase letters and digits only`,
        ),
      ),
    ]);
    const vault = await seededDeployment(
      '../bicep/prod.bicepparam',
      "'tripgen-kv-prod'",
      "'tripgen-keyvault-production'",
    );
    expect(report(checkArmRules(vault.d))).toEqual([
      expect.stringMatching(
        /keyvault\.bicep:\d+:\d+: .*name 'tripgen-keyvault-production' is 27 characters; .* takes 3-24/,
      ),
    ]);
  });

  it('catches a capacity on an Azure Managed Redis size', async () => {
    const { d, file, line } = await seededDeployment(
      'modules/managed-redis.bicep',
      '    name: skuName\n',
      '    name: skuName\n    capacity: 2\n',
    );
    expect(checkArmRules(d)).toContainEqual({
      file,
      line: line + 1,
      column: expect.any(Number),
      message: expect.stringMatching(/Azure Managed Redis size: it takes no capacity/),
    });
  });
});
