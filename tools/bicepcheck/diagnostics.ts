/** A problem found in a Bicep file, reported as `file:line:column: message` (1-based line and column). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Where a value came from in the Bicep source (1-based). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export function formatDiagnostic(d: Diagnostic, relativeTo?: string): string {
  const file = relativeTo && d.file.startsWith(relativeTo) ? d.file.slice(relativeTo.length + 1) : d.file;
  return `${file}:${d.line}:${d.column}: ${d.message}`;
}

export function at(location: SourceLocation, message: string): Diagnostic {
  return { ...location, message };
}
