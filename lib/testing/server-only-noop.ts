// vitest resolves "server-only" here: server modules are imported directly by node tests.
export {};
