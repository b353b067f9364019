import express, { type Request, type Response } from 'express';
import { AppError, ErrorCode, errorMessages } from '../../shared/protocol/errors';
import { payloadRefusal } from '../../shared/protocol/refusals';
import { createRoomRequestSchema } from '../../shared/protocol/rooms';
import type { Logger } from '../logger';
import type { RoomService } from '../rooms/roomService';
import { addressKey } from '../security/addressKey';
import { consume, type Limiters } from '../security/limiters';

const statusFor: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  ROOM_NOT_FOUND: 404,
};

export function sendError(res: Response, code: ErrorCode, message: string = errorMessages[code]): void {
  res.status(statusFor[code] ?? 400).json({ ok: false, error: { code, message } });
}

export function createApiRouter(deps: { rooms: RoomService; limiters: Limiters; log: Logger }): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  router.post('/rooms', async (req: Request, res: Response) => {
    if (!(await consume(deps.limiters.roomCreations, addressKey(req.ip ?? 'unknown')))) return sendError(res, ErrorCode.RATE_LIMITED);
    const parsed = createRoomRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const { code, message } = payloadRefusal(parsed.error);
      return sendError(res, code, message);
    }
    try {
      const created = await deps.rooms.createCoupleRoom(parsed.data.displayName);
      res.status(201).json({ ok: true, ...created });
    } catch (err) {
      if (err instanceof AppError) return sendError(res, err.code, err.message);
      deps.log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'room creation failed');
      sendError(res, ErrorCode.INTERNAL);
    }
  });

  // A body that is not JSON at all still gets a named error, not an HTML page.
  router.use((err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err && typeof err === 'object' && 'type' in err) return sendError(res, ErrorCode.INVALID_PAYLOAD);
    next(err);
  });
  return router;
}
