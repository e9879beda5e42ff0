import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotifySettings as ServerSettings } from '../../../server/modules/profile/settings.ts';
import { ApiError, api } from '../../api/client.ts';

/** `GET/PUT /api/me/notify-settings` (server/modules/profile/routes.ts). */
export type NotifySettings = ServerSettings;
export type ChannelCode = NotifySettings['channels'][number];
export type NotificationEvent = NotifySettings['events'][number]['event'];
export type PerEvent = NotifySettings['perEvent'];

/** The channels in the order the page shows them (server/db/schema/enums.ts `notifyChannel`). */
export const channelOrder = ['sms', 'wechat', 'dingtalk', 'email'] as const satisfies readonly ChannelCode[];

export const notifySettingsKey = ['me', 'notify-settings'] as const;

/** My settings; `watchBinding` polls while a QR code is on screen, to notice the scan at once. */
export function useNotifySettings(options: { watchBinding?: boolean } = {}) {
  return useQuery({
    queryKey: notifySettingsKey,
    queryFn: () => api.get<NotifySettings>('/me/notify-settings'),
    refetchInterval: options.watchBinding ? 3_000 : false,
  });
}

export function useSaveNotifySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { channels: ChannelCode[]; perEvent: PerEvent }) =>
      api.put<NotifySettings>('/me/notify-settings', body),
    onSuccess: (settings) => queryClient.setQueryData(notifySettingsKey, settings),
  });
}

export function useUnbindWechat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<NotifySettings>('/me/wechat'),
    onSuccess: (settings) => queryClient.setQueryData(notifySettingsKey, settings),
  });
}

/** A binding QR code: its image (an object URL the caller revokes) and when it stops working. */
export type QrCode = { src: string; expiresAt: number };

/**
 * `GET /api/me/wechat/qrcode`: a PNG, not JSON, so fetched here rather than through the client; a
 * refusal (WeChat or PUBLIC_URL not configured) is read like any other.
 */
export async function fetchQrCode(signal?: AbortSignal): Promise<QrCode> {
  let response: Response;
  try {
    response = await fetch('/api/me/wechat/qrcode', { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: string;
      message?: string;
      params?: Record<string, string | number>;
    } | null;
    if (body?.error)
      throw new ApiError(response.status, body.error, body.message ?? '', [], body, body.params);
    throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  }
  const expiresAt = Date.parse(response.headers.get('x-expires-at') ?? '');
  const src = URL.createObjectURL(await response.blob());
  return { src, expiresAt: Number.isNaN(expiresAt) ? Date.now() + 9 * 60_000 : expiresAt };
}
