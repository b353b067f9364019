import type { Page } from 'playwright-core';

/** The room a page is in and the device token its browser keeps for that room's seat. */
export async function seatOnDevice(page: Page): Promise<{ roomId: string; deviceToken: string }> {
  const roomId = new URL(page.url()).pathname.split('/').pop()!;
  const deviceToken = await page.evaluate(
    (id) => (JSON.parse(localStorage.getItem('commonground.seats.v1') ?? '{}') as Record<string, { deviceToken: string }>)[id]!.deviceToken,
    roomId,
  );
  return { roomId, deviceToken };
}
