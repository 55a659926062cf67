// The few WebAssembly globals exact-scorer.ts uses. Node has them at run time; the project's
// lib setting (ES2022, no DOM) and @types/node 20 do not declare them.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, unknown>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
