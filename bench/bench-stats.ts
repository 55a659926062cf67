/** Small helpers shared by the benchmarks: latency percentiles and aligned table output. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

export function printTable(rows: Array<Record<string, string | number>>): void {
  const headers = Object.keys(rows[0] ?? {});
  const cell = (v: string | number) =>
    typeof v !== 'number' ? v : Number.isInteger(v) ? String(v) : v.toFixed(v >= 100 ? 0 : 2);
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(cell(r[h]!)).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i]!)).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(headers.map((h) => String(cell(row[h]!)))));
}
