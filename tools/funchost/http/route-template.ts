/**
 * Functions route templates ("jobs/{jobId}/events", "{id:int}", "{name?}", "{*rest}") as matchers.
 * Constraints are checked for the common kinds (int, alpha, guid); others match any segment.
 */
export interface RouteMatcher {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  alpha: /^[A-Za-z]+$/,
  guid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
};

export function compileRoute(template: string): RouteMatcher {
  const names: Array<{ name: string; constraint?: string }> = [];
  const pattern = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((segment) => {
      const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?(\?)?\}$/.exec(segment);
      if (!param) return `/${escape(segment)}`;
      const [, catchAll, name, constraint, optional] = param;
      names.push({ name: name!, constraint });
      if (catchAll) return '(?:/(.*))?';
      return optional ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  const regex = new RegExp(`^${pattern}/?$`, 'i');
  return {
    template,
    match(path) {
      const found = regex.exec(`/${path.replace(/^\/+/, '')}`);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      for (const [i, { name, constraint }] of names.entries()) {
        const raw = found[i + 1];
        if (raw === undefined) continue;
        const value = decodeURIComponent(raw);
        if (constraint && CONSTRAINTS[constraint] && !CONSTRAINTS[constraint].test(value)) return undefined;
        params[name] = value;
      }
      return params;
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
