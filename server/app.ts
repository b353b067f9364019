// First: keeps Socket.IO's per-packet debug calls free when DEBUG is unset (see the module).
import './realtime/quietLibraryDebug';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Config } from './config';
import { holdersRelay, relayToEach } from './documents/documentRelay';
import { RoomDocuments } from './documents/roomDocuments';
import { createApiRouter } from './http/api';
import { clientFiles } from './http/clientFiles';
import { addressHandler } from './http/publicAddress';
import type { Logger } from './logger';
import { createSocketServer, attachModules, LifecycleHub } from './realtime/gateway';
import { compileTrust, socketAddress } from './security/clientAddress';
import { addSecurityHeadersToEngine, securityHeaders } from './security/securityHeaders';
import { createEventDispatcher, type AppServer } from './realtime/eventDispatcher';
import type { AgreementRecordsView } from '../shared/protocol/agreements';
import { createDocumentHandlers } from './realtime/documentHandlers';
import { createAgreementHandlers } from './realtime/agreementHandlers';
import { AgreementRecordsService } from './agreements/agreementRecordsService';
import { CheckInService } from './checkIns/checkInService';
import { roomChannel, type RealtimeModule } from './realtime/realtimeModule';
import { createRoomHandlers } from './realtime/roomHandlers';
import { createSessionHandlers } from './realtime/sessionHandlers';
import { counsellorChannel, createCounsellorHandlers } from './realtime/counsellorHandlers';
import { createVoiceHandlers } from './realtime/voiceHandlers';
import { createCheckInHandlers } from './realtime/checkInHandlers';
import { createReminderHandlers } from './realtime/reminderHandlers';
import { PushSubscriptions } from './reminders/pushSubscriptions';
import { webPushSender } from './reminders/pushSender';
import { ReminderScheduler, type TickReport } from './reminders/reminderScheduler';
import { checkInReminders, checkInsFromStore, reviewReminders, type ReminderSource } from './reminders/reminderSources';
import { loadVapidKeys } from './reminders/vapidKeys';
import { CounsellorService } from './counsellors/counsellorService';
import { PackLibrary } from './content/packLoader';
import { SessionService } from './sessions/sessionService';
import { RoomService } from './rooms/roomService';
import { documentClusterRelay } from './cluster/documentClusterRelay';
import { attachRedisAdapter, singleNodeLink, type ClusterLink } from './cluster/redisCluster';
import { addressKey } from './security/addressKey';
import { createEmbeddedLimiters, createRedisLimiters, type Limiters } from './security/limiters';
import { limitSocketsPerAddress } from './security/socketsPerAddress';
import { limitUnsentBuffer } from './realtime/unsentBufferLimit';
import { isRedisStorage } from './storage/redis/redisStorage';
import type { Storage } from './storage/types';
import { systemClock, type Clock } from './util/clock';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const clientDist = path.join(repoRoot, 'dist', 'client');

export interface AppDeps {
  config: Config;
  storage: Storage;
  log: Logger;
  clock?: Clock;
  limiters?: Limiters;
}

export interface RunningApp {
  http: HttpServer;
  io: AppServer;
  rooms: RoomService;
  /** Deletes expired rooms and counsellor workspaces now (the server does it hourly by itself). */
  sweepExpired(): Promise<void>;
  /** this node's link to the other nodes (tests wait on its restoration) */
  link: ClusterLink;
  /** the reminder scheduler: it ticks by itself every REMINDER_TICK_SECONDS; tests tick it by hand */
  reminders: { tick(): Promise<TickReport>; publicKey: string };
  /** http://host:port once listening */
  url: string;
  close(): Promise<void>;
}

/** The composition root: wires storage, services and transports. Used by main.ts and by tests. */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const { config, storage, log } = deps;
  const clock = deps.clock ?? systemClock;
  // Packs are read once, before anything listens: a malformed pack stops the start-up.
  const packs = PackLibrary.load(config.packsDir);
  // With Redis, limits and broadcasts are shared by every node (docs/scaling.md).
  const limiters =
    deps.limiters ?? (isRedisStorage(storage) ? createRedisLimiters(config, storage.client, storage.keys.prefix) : createEmbeddedLimiters(config, storage.records, clock));
  const rooms = new RoomService(
    storage,
    { inviteTtlMs: config.inviteTtlMs, codeTtlMs: config.pairingCodeTtlMs, roomTtlMs: config.roomTtlMs },
    clock,
    log,
  );

  // Each session that ends counts once in the check-ins (the way so far shows the sessions held).
  const sessions = new SessionService({ turns: storage.turns, roomLogs: storage.roomLogs, packs, clock, log, onEnded: (roomId, startedAt) => checkIns.sessionEnded(roomId, startedAt) });

  const app = express();
  app.disable('x-powered-by');
  // One rule for whom X-Forwarded-For is believed from, for Express (req.ip) and Socket.IO alike.
  const trust = compileTrust(config.trustProxy);
  // Every per-address limit counts an IPv6 address on its /64 (server/security/addressKey.ts).
  const addressOf = (socket: Parameters<typeof socketAddress>[0]) => addressKey(socketAddress(socket, trust));
  app.set('trust proxy', trust);
  app.use(securityHeaders);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/address', addressHandler({ publicOrigin: config.publicOrigin, host: config.host }));
  app.use('/api', createApiRouter({ rooms, limiters, log }));

  if (existsSync(clientDist)) app.use(clientFiles(clientDist));

  const http = createServer(app);
  const io = createSocketServer(http, {
    maxHttpBufferSize: 1_000_000,
    publicOrigin: config.publicOrigin,
    pingIntervalMs: config.pingIntervalMs,
    pingTimeoutMs: config.pingTimeoutMs,
  });
  addSecurityHeadersToEngine(io);
  const link = isRedisStorage(storage) ? attachRedisAdapter(io, storage) : singleNodeLink;
  const sockets = limitSocketsPerAddress(io, { max: config.socketsPerAddress, addressOf });
  limitUnsentBuffer(io, { limitBytes: config.socketUnsentLimitBytes, log });
  const dispatcher = createEventDispatcher(log, limiters, { ackWindowMs: config.docAckWindowMs, addressOf: sockets.keyOf });

  const modules: RealtimeModule[] = [];
  const hooks = new LifecycleHub(modules, log);
  const roomModule = createRoomHandlers({
    io,
    dispatcher,
    rooms,
    limiters,
    hooks,
    addressOf: sockets.keyOf,
    log,
    onLinkRestored: (listener) => link.onRestored(listener),
  });
  modules.push(roomModule);
  const documents = new RoomDocuments({ store: storage.docs, logger: log });
  // What a document takes goes to this node's holders and to the other nodes (RD-14 to RD-17).
  const otherNodes = documentClusterRelay({ io, documents, log, onLinkRestored: (listener) => link.onRestored(listener) });
  const stopRelaying = documents.relayTo(relayToEach(holdersRelay(io), otherNodes));
  modules.push(createDocumentHandlers({ io, dispatcher, documents, log }));
  const publishRecords = (roomId: string, records: AgreementRecordsView) => io.to(roomChannel(roomId)).emit('agreements:records', records);
  const agreementRecords = new AgreementRecordsService({ store: storage.agreementRecords, versions: storage.agreementVersions, documents, clock, log, publish: publishRecords });
  modules.push(createAgreementHandlers({ dispatcher, records: agreementRecords, rooms }));
  modules.push(createSessionHandlers({ io, dispatcher, sessions, rooms, agreementRecords, clock, log }));
  const counsellors = new CounsellorService({ storage, rooms, sessions, agreementRecords, clock, log, ttlMs: config.counsellorTtlMs });
  modules.push(
    createCounsellorHandlers({
      io,
      dispatcher,
      counsellors,
      limiters,
      log,
      addressOf: sockets.keyOf,
      onLinkRestored: (listener) => link.onRestored(listener),
    }),
  );
  modules.push(createVoiceHandlers({ io, dispatcher, rooms, ice: config.ice, clock }));
  const checkIns = new CheckInService({
    store: storage.checkIns,
    agreements: agreementRecords,
    clock,
    changed: (roomId, at) => io.to(roomChannel(roomId)).emit('checkIn:changed', { at }),
    // the owner's workspace hears only that what it may see changed
    sharedChanged: (roomId) => {
      counsellors
        .ownerOf(roomId)
        .then((owner) => owner && void io.to(counsellorChannel(owner)).emit('checkIn:shared', { roomId }))
        .catch(() => undefined);
    },
  });
  modules.push(createCheckInHandlers({ dispatcher, checkIns, rooms, counsellors }));
  // Reminders by Web Push: the same VAPID keys on every node, each reminder claimed once in the store.
  const vapid = await loadVapidKeys(storage.records);
  const subscriptions = new PushSubscriptions(storage.records);
  const checkInsDue = checkInsFromStore(storage.checkIns, agreementRecords);
  const reminderSources: ReminderSource[] = [reviewReminders(agreementRecords), checkInReminders(checkInsDue.due, checkInsDue.titleOf)];
  const reminders = new ReminderScheduler({ subscriptions, rooms: storage.rooms, sources: reminderSources, send: webPushSender(vapid, config.reminders.vapidSubject), clock, log });
  modules.push(
    createReminderHandlers({ dispatcher, rooms, subscriptions, vapidPublicKey: vapid.publicKey, clock, allowLoopbackEndpoints: config.reminders.allowLoopbackEndpoints }),
  );
  attachModules(io, dispatcher, hooks, log);

  const sweepExpired = async () => {
    await rooms.sweepExpired();
    await counsellors.sweepExpired();
    await limiters.sweep?.();
  };
  const sweep = setInterval(() => {
    sweepExpired().catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'expiry sweep failed'));
  }, 60 * 60 * 1000);
  sweep.unref();
  reminders.start(config.reminders.tickMs);

  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const address = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  log.info({ port: address.port, storage: storage.kind }, 'Common Ground is listening');

  return {
    http,
    io,
    rooms,
    sweepExpired,
    link,
    reminders: { tick: () => reminders.tick(), publicKey: vapid.publicKey },
    url,
    async close() {
      clearInterval(sweep);
      await reminders.stop();
      // Held acks are for writes already durable: their devices should hear so before we go.
      dispatcher.closeAcks();
      for (const module of modules) await module.close?.();
      // The relays stop before the documents flush, so nothing is relayed from a closing service.
      otherNodes.close();
      stopRelaying();
      await documents.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await link.close();
      await storage.close();
    },
  };
}
