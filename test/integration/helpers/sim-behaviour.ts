// Per-namespace behaviour of the mesh simulator for a test: the simulator hot-reloads its
// behaviour file (it names the file on /healthz), and a "<namespace>/<service>" key there
// applies to that namespace only, so a test makes ITS OWN namespace's versions fail or slow
// down without touching Bookinfo or another test's namespace. Edits are serialised with a lock
// directory beside the file (several test processes may share the simulator), and the file is
// restored byte for byte once the last overlay is gone.
import { mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const SIM_URL = process.env.GC_MESH_SIM_URL ?? `http://127.0.0.1:${process.env.GC_MESH_SIM_PORT ?? 15090}`;

/** One version's behaviour layer (dev/mesh-sim/behaviour.ts ProfileLayer). */
export interface VersionBehaviour {
  p50Ms?: number;
  p99Ms?: number;
  errorRate?: number;
  errorCode?: number;
}

export async function behaviourFile(): Promise<string> {
  const health = (await (await fetch(`${SIM_URL}/healthz`)).json()) as { behaviour?: { file?: string } };
  if (!health.behaviour?.file) throw new Error(`the simulator at ${SIM_URL} does not name its behaviour file`);
  return health.behaviour.file;
}

async function locked<T>(file: string, fn: () => T): Promise<T> {
  const lock = `${file}.lock`;
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 200) throw new Error(`${lock} is held: remove it if no test is running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}

const originals = new Map<string, { text: string; parsed: unknown }>();

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp-${process.pid}`, text);
  renameSync(`${file}.tmp-${process.pid}`, file);
}

/**
 * Sets the behaviour of `service` in `namespace` (a test namespace): `versions` override the
 * service's profile for those versions; null removes the overlay again.
 */
export async function setNamespaceBehaviour(
  namespace: string,
  service: string,
  versions: Record<string, VersionBehaviour> | null,
): Promise<void> {
  const file = await behaviourFile();
  await locked(file, () => {
    const text = readFileSync(file, "utf8");
    const doc = JSON.parse(text) as { services?: Record<string, Record<string, unknown>> };
    if (!originals.has(file)) originals.set(file, { text, parsed: JSON.parse(text) });
    const services = { ...(doc.services ?? {}) };
    const key = `${namespace}/${service}`;
    if (versions === null) delete services[key];
    // The namespaced key replaces the plain one for this namespace: start from the service's profile.
    else services[key] = { ...(services[service] ?? {}), calls: [], versions };
    const next = { ...doc, services };
    const original = originals.get(file)!;
    writeAtomically(
      file,
      isDeepStrictEqual(next, original.parsed) ? original.text : `${JSON.stringify(next, null, 2)}\n`,
    );
  });
  // The simulator polls the file every second.
  await new Promise((r) => setTimeout(r, 1500));
}
