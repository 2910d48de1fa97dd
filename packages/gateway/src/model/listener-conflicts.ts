/**
 * Conflicts between the listeners of one Gateway and its ListenerSets (Conflicted) and overlapping HTTPS hostnames
 * on one port (OverlappingTLSConfig). Listeners are grouped by port and hostname in maps, so thousands of
 * listeners cost linear time.
 */
import { ConditionType, type DesiredCondition, ListenerReason } from '../status/conditions.js';
import { ListenerHostnameIndex } from './listener-index.js';
import { isConflicted, type ResolvedListener } from './listeners.js';

const hostKey = (listener: ResolvedListener) => listener.hostname ?? '';

/**
 * Marks conflicts among `group` (listeners of one Gateway and its ListenerSets, in precedence order). Among the
 * Gateway's own listeners (the first `ownCount`) every participant is marked, as the spec's examples do; a
 * ListenerSet listener is marked when it conflicts with an earlier unconflicted listener (the earlier one wins).
 */
export function markConflicts(group: readonly ResolvedListener[], ownCount: number): void {
  const own = group.slice(0, ownCount).filter((l) => l.accepted.status === 'True');
  for (const samePort of groupBy(own, (l) => l.spec.port).values()) {
    const firstByProtocol = new Map<string, ResolvedListener>();
    for (const listener of samePort)
      if (!firstByProtocol.has(listener.spec.protocol)) firstByProtocol.set(listener.spec.protocol, listener);
    if (firstByProtocol.size > 1) {
      for (const listener of samePort) {
        const other = [...firstByProtocol.values()].find((o) => o.spec.protocol !== listener.spec.protocol);
        if (other !== undefined) listener.conflicted = protocolConflict(listener, other);
      }
      continue;
    }
    for (const twins of groupBy(samePort, hostKey).values()) {
      if (twins.length < 2) continue;
      for (const listener of twins)
        listener.conflicted = hostnameConflict(listener, twins.find((t) => t !== listener) ?? listener);
    }
  }
  const kept = new Map<number, { first: ResolvedListener; hosts: Map<string, ResolvedListener> }>();
  for (const listener of own.filter((l) => !isConflicted(l))) keep(kept, listener);
  for (const listener of group.slice(ownCount)) {
    if (listener.accepted.status !== 'True') continue;
    const port = kept.get(listener.spec.port);
    const twin = port?.hosts.get(hostKey(listener));
    if (port !== undefined && port.first.spec.protocol !== listener.spec.protocol) {
      listener.conflicted = protocolConflict(listener, port.first);
    } else if (twin !== undefined) {
      listener.conflicted = hostnameConflict(listener, twin);
    } else {
      keep(kept, listener);
    }
  }
}

/** Sets OverlappingTLSConfig on every HTTPS listener whose hostname overlaps another's on the same port. */
export function markOverlappingTls(group: readonly ResolvedListener[]): void {
  const https = group.filter((l) => l.protocol === 'HTTPS' && l.accepted.status === 'True' && !isConflicted(l));
  for (const samePort of groupBy(https, (l) => l.spec.port).values()) {
    if (samePort.length < 2) continue;
    const index = new ListenerHostnameIndex(samePort);
    const position = new Map(samePort.map((l, i) => [l, i]));
    for (const listener of samePort) {
      const candidates = listener.hostname === undefined ? new Set(samePort) : index.intersecting(listener.hostname);
      candidates.delete(listener);
      // the first overlapping listener in declaration order, found without scanning the whole port
      let overlap: ResolvedListener | undefined;
      for (const candidate of candidates) {
        if (overlap === undefined || (position.get(candidate) ?? 0) < (position.get(overlap) ?? 0)) overlap = candidate;
      }
      if (overlap === undefined) continue;
      listener.overlapping = {
        type: ConditionType.OverlappingTLSConfig,
        status: 'True',
        reason: ListenerReason.OverlappingHostnames,
        message: `hostname ${listener.hostname ?? '(none)'} overlaps ${overlap.hostname ?? '(none)'} of listener ${overlap.spec.name} on port ${listener.spec.port}`,
      };
    }
  }
}

function keep(
  kept: Map<number, { first: ResolvedListener; hosts: Map<string, ResolvedListener> }>,
  listener: ResolvedListener,
): void {
  const port = kept.get(listener.spec.port) ?? { first: listener, hosts: new Map() };
  port.hosts.set(hostKey(listener), listener);
  kept.set(listener.spec.port, port);
}

function protocolConflict(listener: ResolvedListener, other: ResolvedListener): DesiredCondition {
  return {
    type: ConditionType.Conflicted,
    status: 'True',
    reason: ListenerReason.ProtocolConflict,
    message: `port ${listener.spec.port} is also used with protocol ${other.spec.protocol} by listener ${other.spec.name}`,
  };
}

function hostnameConflict(listener: ResolvedListener, twin: ResolvedListener): DesiredCondition {
  return {
    type: ConditionType.Conflicted,
    status: 'True',
    reason: ListenerReason.HostnameConflict,
    message: `hostname ${listener.hostname ?? '(none)'} on port ${listener.spec.port} is also used by listener ${twin.spec.name}`,
  };
}

function groupBy<K>(
  listeners: readonly ResolvedListener[],
  key: (l: ResolvedListener) => K,
): Map<K, ResolvedListener[]> {
  const out = new Map<K, ResolvedListener[]>();
  for (const listener of listeners) {
    const list = out.get(key(listener));
    if (list === undefined) out.set(key(listener), [listener]);
    else list.push(listener);
  }
  return out;
}
