metadata name = 'Service Bus helpers'
metadata description = 'Functions that turn a topology.json entry into Premium entity properties.'

// Member accesses after an operator or `=>` are parenthesized: tree-sitter-bicep, which the project's
// checks parse with, would otherwise misread them (see tools/bicepcheck/parser.ts).

@export()
@description('The entity\'s own settings: every key of its topology entry except the ones that name or nest things.')
func settingsOf(entry object, nestingKeys string[]) object =>
  toObject(filter(items(entry), e => !contains(nestingKeys, (e.key))), e => (e.key), e => (e.value))

@export()
@description('Entity sizes Premium accepts (MB); a size Premium lacks is rounded up to the next one.')
func premiumSizeMb(requestedMb int) int =>
  first(filter([1024, 2048, 3072, 4096, 5120, 10240, 20480, 40960, 81920], size => size >= requestedMb))

@export()
@description('Premium properties of a queue or topic entry: its settings, the Premium size, and no per-entity partitioning (Premium partitions at the namespace).')
func premiumEntityProperties(entry object, nestingKeys string[]) object =>
  union(settingsOf(entry, nestingKeys), {
    enablePartitioning: false
    maxSizeInMegabytes: premiumSizeMb(entry.maxSizeInMegabytes)
  })
