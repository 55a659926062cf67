import fs from 'node:fs';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { Diagnostic } from './diagnostics';

/** One parsed .bicep or .bicepparam file, its syntax errors and the constructs the grammar misreads. */
export interface ParsedFile {
  file: string;
  text: string;
  root: Node;
  syntaxErrors: Diagnostic[];
}

export interface BicepParser {
  /** Parses the file's text (read from disk unless given). */
  parse(file: string, text?: string): ParsedFile;
}

/**
 * tree-sitter-bicep predates the typeless `param name = value` of .bicepparam files, so the parser reads
 * them as `var   name = value`: the same length, so every line and column stays where it was.
 */
export function asParsableBicepparam(text: string): string {
  return text.replace(/^(\s*)param(\s+[A-Za-z_][A-Za-z0-9_]*\s*=)/gm, '$1var  $2');
}

let loaded: Promise<BicepParser> | undefined;

/** Loads the WASM grammar once per process (no native addon, so a plain `npm ci` is enough). */
export function loadBicepParser(): Promise<BicepParser> {
  loaded ??= (async () => {
    await Parser.init();
    // Bytes, not a path: loading by path takes a dynamic import that jest's CommonJS runtime refuses.
    const wasm = fs.readFileSync(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
    const language = await Language.load(new Uint8Array(wasm));
    const parser = new Parser();
    parser.setLanguage(language);
    return {
      parse(file: string, text = fs.readFileSync(file, 'utf8')): ParsedFile {
        const source = file.endsWith('.bicepparam') ? asParsableBicepparam(text) : text;
        const tree = parser.parse(source);
        if (!tree) throw new Error(`tree-sitter returned no tree for ${file}`);
        return { file, text, root: tree.rootNode, syntaxErrors: syntaxErrors(file, tree.rootNode) };
      },
    };
  })();
  return loaded;
}

const LOOSER_THAN_MEMBER = new Set([
  'binary_expression',
  'unary_expression',
  'ternary_expression',
  'lambda_expression',
]);

/**
 * tree-sitter-bicep binds `.x` and `[i]` looser than Bicep does after an operator or `=>`:
 * `a >= q.size` comes out as `(a >= q).size`, `e => e.key` as `(e => e).key`. Such a tree would be
 * evaluated wrongly, so the checks report it and ask for parentheses (`a >= (q.size)`, `e => (e.key)`).
 */
export function misparseRisk(node: Node): string | undefined {
  if (node.type !== 'member_expression' && node.type !== 'subscript_expression') return undefined;
  const object = node.childForFieldName('object');
  if (!object || !LOOSER_THAN_MEMBER.has(object.type)) return undefined;
  return `ambiguous for tree-sitter-bicep: put '${object.text.slice(0, 40)}...' member access in parentheses`;
}

function syntaxErrors(file: string, root: Node): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (node: Node): void => {
    const where = { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
    if (node.isMissing) {
      found.push({ ...where, message: `syntax error: missing ${node.type}` });
      return;
    }
    const risk = misparseRisk(node);
    if (risk) found.push({ ...where, message: risk });
    if (node.type === 'ERROR') {
      const near = node.text.split('\n')[0]?.slice(0, 40) ?? '';
      found.push({ ...where, message: `syntax error near '${near}'` });
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}
