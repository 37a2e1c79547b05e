import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { K8sClients } from "./client";
import { K8sError } from "./errors";
import { call, plain } from "./resources";

// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics
// (k8s.io/client-go/tools/leaderelection): a candidate takes the lease only when the holder has
// not renewed it for leaseDuration, judged by OUR clock from the moment we last saw the record
// change (never by comparing timestamps across machines); the holder renews every retryPeriod
// and stops acting as leader when it could not renew within renewDeadline (< leaseDuration), so
// it stops writing before anyone else may start. Every write is also fenced by a resourceVersion
// precondition, so even a paused-then-resumed old leader cannot overwrite newer state.

export interface LeaseConfig {
  namespace: string;
  name: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

interface LeaseObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface LeaderState {
  identity: string;
  isLeader: boolean;
  holder: string | null;
  /** performance.now() of our last successful acquire/renew. */
  renewedAt: number | null;
}

export function newIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export class LeaderElector {
  private observedRecord = "";
  private observedAt = 0;
  private renewedAt: number | null = null;
  private holder: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly c: K8sClients,
    readonly config: LeaseConfig,
    readonly identity = newIdentity(),
    private readonly onChange: (leader: boolean) => void = () => {},
  ) {}

  /** True only while our last renewal is younger than renewDeadline: the fence for every write. */
  isLeader(): boolean {
    return this.renewedAt !== null && performance.now() - this.renewedAt < this.config.renewDeadlineMs;
  }

  state(): LeaderState {
    return { identity: this.identity, isLeader: this.isLeader(), holder: this.holder, renewedAt: this.renewedAt };
  }

  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      const was = this.isLeader();
      try {
        await this.tryAcquireOrRenew();
      } catch (err) {
        console.warn(`[leader] ${this.config.namespace}/${this.config.name}: ${(err as Error).message}`);
      }
      const now = this.isLeader();
      if (was !== now) this.onChange(now);
      if (!this.stopped) this.timer = setTimeout(loop, this.config.retryPeriodMs);
      this.timer?.unref();
    };
    void loop();
  }

  /** Gives the lease up (holder cleared) so a successor need not wait out the lease duration. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.isLeader()) return;
    this.renewedAt = null;
    const lease = await this.read();
    if (lease?.spec?.holderIdentity !== this.identity) return;
    await this.write({ ...lease, spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1 } }).catch(
      () => undefined,
    );
  }

  private async read(): Promise<LeaseObject | null> {
    const { namespace, name } = this.config;
    try {
      return plain<LeaseObject>(
        await call(`read Lease ${namespace}/${name}`, (o) =>
          this.c.coordination.readNamespacedLease({ namespace, name }, o),
        ),
      );
    } catch (err) {
      if (err instanceof K8sError && err.kind === "not_found") return null;
      throw err;
    }
  }

  private async write(lease: LeaseObject): Promise<void> {
    const { namespace, name } = this.config;
    const body = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", ...lease } as never;
    if (lease.metadata.resourceVersion)
      await call(`replace Lease ${namespace}/${name}`, (o) =>
        this.c.coordination.replaceNamespacedLease({ namespace, name, body }, o),
      );
    else
      await call(`create Lease ${namespace}/${name}`, (o) =>
        this.c.coordination.createNamespacedLease({ namespace, body }, o),
      );
  }

  private record(
    now: Date,
    prev: LeaseObject["spec"] | undefined,
    takingOver: boolean,
  ): NonNullable<LeaseObject["spec"]> {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.config.leaseDurationMs / 1000)),
      acquireTime: takingOver || !prev?.acquireTime ? microTime(now) : prev.acquireTime,
      renewTime: microTime(now),
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (takingOver && prev?.holderIdentity ? 1 : 0),
    };
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const started = performance.now();
    const lease = await this.read();
    const { namespace, name } = this.config;
    if (!lease) {
      await this.write({ metadata: { name, namespace }, spec: this.record(new Date(), undefined, true) });
      this.won(started);
      return;
    }
    const spec = lease.spec ?? {};
    const recordKey = JSON.stringify(spec);
    if (recordKey !== this.observedRecord) {
      this.observedRecord = recordKey;
      this.observedAt = started;
    }
    this.holder = spec.holderIdentity || null;
    const mine = spec.holderIdentity === this.identity;
    const durationMs = (spec.leaseDurationSeconds ?? Math.ceil(this.config.leaseDurationMs / 1000)) * 1000;
    const expired = !spec.holderIdentity || performance.now() - this.observedAt > durationMs;
    if (!mine && !expired) {
      this.renewedAt = null;
      return;
    }
    // resourceVersion precondition: two candidates racing for an expired lease -> one gets 409.
    await this.write({ metadata: lease.metadata, spec: this.record(new Date(), spec, !mine) });
    this.won(started);
  }

  private won(started: number): void {
    // Measured from before the read: the renewal is only as fresh as the request that made it.
    this.renewedAt = started;
    this.holder = this.identity;
  }
}
