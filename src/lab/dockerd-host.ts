/**
 * A target that is a Docker host: Debian's own dockerd runs inside it and starts the declared containers
 * itself, so the rules in `nat PREROUTING`/`FORWARD`, the `docker-proxy` listeners and their order against
 * the user's rules are the real daemon's (measured in docs/docker-measurements.md). What this kernel and
 * engine allow decides the shape: no `--privileged` (refused), but SYS_ADMIN, an unconfined seccomp
 * profile (runc's session keyring needs keyctl), vfs storage on a tmpfs, no registry.
 */
import type { Protocol } from '../model/observation.ts';
import { CommandFailedError } from '../model/errors.ts';
import { FwprobeContainer, type StartedFwprobeContainer } from './container.ts';

/**
 * Docker's default capability set (what runc needs to start containers and hand them theirs) plus
 * NET_ADMIN (dockerd's iptables, bridges) and SYS_ADMIN (mounts, namespaces, the cgroup remount).
 */
const DOCKERD_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
  'NET_ADMIN',
  'SYS_ADMIN',
];
/** The image every inner container runs: an empty root with the target's /usr mounted (fwprobe-dockerd). */
const INNER_IMAGE = 'fwprobe-inner:latest';
/** dockerd took 0.9 to 3.9 s here, 30 s once under a load average of 28. */
const DOCKERD_WAIT_S = 90;
const LISTENER_WAIT_MS = 15_000;

/** The host's /etc/docker/daemon.json: the keys that shape published ports. */
export interface DaemonConfig {
  /** @default true (dockerd's own default) */
  iptables?: boolean;
  /** Needs `experimental` on 20.10; on by default from 27.0. @default false (20.10) */
  ip6tables?: boolean;
  /** @default true */
  'userland-proxy'?: boolean;
  /** @default absent */
  ipv6?: boolean;
  /** @default absent */
  'fixed-cidr-v6'?: string;
  /** @default absent */
  experimental?: boolean;
}

/** A container that the inner dockerd starts: `docker run -p` strings as written, and what listens in it. */
export interface PublishedContainer {
  name: string;
  /** The Docker network it joins (`docker run --network`). @default 'bridge' (docker0) */
  network?: string;
  /** `docker run -p` syntax, passed as is: `8080:80`, `127.0.0.1:5432:5432`, `[::]:8443:443/tcp`. */
  publish: string[];
  services: { protocol: Protocol; port: number }[];
}

/** A target image with dockerd in it (see dockerd-image.ts), started with what dockerd needs. */
export class DockerdHostContainer extends FwprobeContainer {
  constructor(dockerdImage: string) {
    super(dockerdImage);
    this.withDroppedCapabilities('ALL');
    this.hostConfig.CapAdd = [...DOCKERD_CAPABILITIES];
    // The engine's default profile refuses keyctl: runc then fails with "unable to join session keyring".
    this.hostConfig.SecurityOpt = ['seccomp=unconfined'];
    // vfs copies every layer: a tmpfs keeps it off the engine's disk and gone with the container. exec and
    // dev, or the inner containers could not run their binaries or open /dev/null.
    // /run stays on the container's own root: fwprobe copies ruleset files there (/run/fwprobe), and a copy
    // into a tmpfs mount lands under it, unseen.
    this.withTmpFs({ '/var/lib/docker': 'rw,exec,suid,dev' });
    // Forwarding off at start, as a booted Debian host has it: dockerd turns it on and, doing so, sets the
    // FORWARD policy to DROP (a routing target turns it on first, and the policy stays ACCEPT, as measured).
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, 'net.ipv4.ip_forward': '0', 'net.ipv6.conf.all.forwarding': '0' };
  }
}

/** Starts dockerd with `daemon` as its daemon.json; resolves with the seconds it took to answer. */
export async function startDockerd(host: StartedFwprobeContainer, daemon: DaemonConfig): Promise<number> {
  const out = await host.runOk(['fwprobe-dockerd', JSON.stringify(daemon), String(DOCKERD_WAIT_S)], {
    timeoutMs: (DOCKERD_WAIT_S + 30) * 1000,
    phase: 'starting dockerd in the target',
  });
  return Number(/^dockerd-ready ([\d.]+)$/m.exec(out)?.[1] ?? NaN);
}

/**
 * In one exec (each round trip into the target costs, more so under load): `docker run -d`, waits for the
 * listener's READY in the container's log, then reads its addresses. Exit 3: docker run failed; 4: the
 * listener failed or did not say READY in time.
 */
const RUN_AND_WAIT = `name=$1; tenths=$2; shift 2
"$@" >/dev/null || exit 3
i=0
until docker logs "$name" 2>/dev/null | grep -qx READY; do
  if docker logs "$name" 2>&1 >/dev/null | grep -q '^fwprobe-listener: ' || [ "$i" -ge "$tenths" ]; then docker logs "$name"; exit 4; fi
  i=$((i + 1)); sleep 0.1
done
docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.GlobalIPv6Address}}{{end}}' "$name"`;

/**
 * \`docker run -d -p ...\` in the target, then waits for the listener's READY; returns the container's
 * addresses on its one network (IPv6 empty without an IPv6 subnet). `ipv6`: whether that network has IPv6
 * (read from dockerd when not given).
 */
export async function runPublished(host: StartedFwprobeContainer, container: PublishedContainer, ipv6?: boolean): Promise<{ ipv4: string; ipv6: string }> {
  // Docker turns IPv6 off inside a container whose network has none: a dual-stack bind would fail there.
  const network = container.network ?? 'bridge';
  const v6 = ipv6 ?? (await host.runOk(['docker', 'network', 'inspect', '-f', '{{.EnableIPv6}}', network])).trim() === 'true';
  const specs = container.services.map((s) => `${s.protocol}:${s.port}:${v6 ? 'any' : 'any4'}`);
  const run = ['docker', 'run', '-d', '--name', container.name, '--network', network, '-v', '/usr:/usr:ro', ...container.publish.flatMap((p) => ['-p', p]), INNER_IMAGE, 'fwprobe-listener', ...specs];
  const outcome = await host.run(['sh', '-c', RUN_AND_WAIT, 'sh', container.name, String(LISTENER_WAIT_MS / 100), ...run], {
    timeoutMs: LISTENER_WAIT_MS + 60_000,
    phase: `docker run ${container.name} in the target`,
  });
  if (outcome.exitCode !== 0) {
    const what = outcome.exitCode === 3 ? 'docker run failed' : `the inner container ${container.name} did not report READY`;
    throw new CommandFailedError({ command: run, ...outcome }, `${what}:`);
  }
  const [ipv4 = '', ipv6Address = ''] = outcome.stdout.trim().split(/\s+/);
  return { ipv4, ipv6: ipv6Address };
}

/** A user-defined bridge as `docker network create` takes it. */
export interface BridgeNetwork {
  name: string;
  ipv4: string;
  /** @default null (IPv4 only) */
  ipv6: string | null;
  /** @default false */
  internal: boolean;
}

/** Four arguments per network (name, IPv4 subnet, IPv6 subnet or empty, `internal` or empty): never script text. */
const CREATE_NETWORKS = `while [ "$#" -ge 4 ]; do
  docker network create --driver bridge \${4:+--internal} --subnet "$2" \${3:+--ipv6 --subnet "$3"} "$1" >/dev/null || exit 3
  shift 4
done`;

/**
 * `docker network create` for each network, in order, in one exec (each round trip into the target costs
 * seconds under load): dockerd names each bridge br-<id> and writes its DOCKER-ISOLATION rules, on
 * ip6tables too for an IPv6 network. A refusal stops it and is thrown with dockerd's own words.
 */
export async function createNetworks(host: StartedFwprobeContainer, networks: readonly BridgeNetwork[]): Promise<void> {
  if (networks.length === 0) return;
  const args = networks.flatMap((n) => [n.name, n.ipv4, n.ipv6 ?? '', n.internal ? 'internal' : '']);
  const command = ['sh', '-c', CREATE_NETWORKS, 'sh', ...args];
  const outcome = await host.run(command, { timeoutMs: 60_000, phase: 'docker network create in the target' });
  if (outcome.exitCode !== 0) throw new CommandFailedError({ command, ...outcome }, 'docker network create failed in the target:');
}
