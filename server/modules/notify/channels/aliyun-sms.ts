import { createHmac, randomUUID } from 'node:crypto';
import { now } from '../../../clock.ts';
import type { NotifyConfig } from '../../../config.ts';
import type { NotificationEvent } from '../outbox.ts';
import { failure, providerWords, requestJson, statusFailure, withoutSecrets } from './http.ts';
import { mainlandMobile } from './phone.ts';
import type { Channel, Message, Recipient, SendOutcome } from './types.ts';

/**
 * Aliyun SMS `SendSms` (API version 2017-05-25) through its RPC API, signed as Aliyun's signature
 * mechanism says (SignatureVersion 1.0): every parameter but `Signature`, sorted by name, each name
 * and value percent-encoded (RFC 3986: only A–Z a–z 0–9 - _ . ~ left as they are, a space as %20),
 * joined as `name=value` with `&`; the string to sign `METHOD&%2F&` + that query, percent-encoded
 * again; the signature its base64 HMAC-SHA1 keyed by the AccessKey secret followed by `&`.
 * The request is a POST form to the endpoint (the phone number and message stay out of URLs, and
 * so out of proxies' logs). The template's variables are the message's fields by name
 * (`TemplateParam` = `{"customer":"张三",…}`), the template code per event from
 * ALIYUN_SMS_TEMPLATE_CODES; `OutId` is the notification's idempotency key, for tracing a message in
 * Aliyun's console (Aliyun does not refuse a repeated OutId, so this is no guard against sending twice).
 */

const PROVIDER = 'Aliyun SMS';

/** Worth trying again later: throttled, over the flow control, or Aliyun's own failure. */
const RETRY_CODES = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'isv.BUSINESS_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'ServiceUnavailable',
  'InternalError',
]);

/** Percent-encoding as the signature mechanism defines it (RFC 3986 unreserved characters kept). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonicalised query: parameters sorted by name, encoded, joined. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name]!)}`)
    .join('&');
}

/** The RPC signature of `params` (without `Signature`) sent with `method`. */
export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Aliyun's timestamp: ISO 8601 in UTC, to the second (`2026-12-07T09:10:41Z`). */
const aliyunTimestamp = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function aliyunSmsChannel(config: NotifyConfig): Channel {
  const settings = config.sms;
  const noTemplate = (event: NotificationEvent) =>
    settings?.templates[event] ? null : `no SMS template for ${event} (ALIYUN_SMS_TEMPLATE_CODES)`;

  async function send(
    message: Message,
    recipient: Recipient,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    if (!settings) return failure(PROVIDER, 'ALIYUN_SMS_ACCESS_KEY_ID is not set', false);
    const templateCode = settings.templates[message.event];
    if (!templateCode) return failure(PROVIDER, noTemplate(message.event) ?? 'no template', false);
    const mobile = mainlandMobile(recipient.phone);
    if (!mobile) return failure(PROVIDER, 'no mobile number', false);

    const params: Record<string, string> = {
      AccessKeyId: settings.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: aliyunTimestamp(now()),
      Version: '2017-05-25',
      PhoneNumbers: mobile,
      SignName: settings.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(message.fields),
      OutId: idempotencyKey,
    };
    const signature = rpcSignature('POST', params, settings.accessKeySecret);
    const answer = await requestJson({
      provider: PROVIDER,
      url: `${settings.endpoint}/`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: `${canonicalQuery(params)}&Signature=${percentEncode(signature)}`,
      timeoutMs: config.timeoutMs,
      signal,
    });
    if (!answer.ok) return answer;
    const body = (answer.body ?? {}) as { Code?: unknown; Message?: unknown; BizId?: unknown };
    if (body.Code === 'OK') {
      return typeof body.BizId === 'string' ? { ok: true, providerMessageId: body.BizId } : { ok: true };
    }
    if (typeof body.Code !== 'string') {
      return answer.status >= 400
        ? statusFailure(PROVIDER, answer.status)
        : failure(PROVIDER, 'answered without a Code', false);
    }
    // SignatureDoesNotMatch quotes the string it signed, phone number and message included: not kept.
    const words =
      typeof body.Message === 'string' ? body.Message.split(/\s*server string to sign/i)[0] : body.Message;
    return failure(PROVIDER, `${body.Code}: ${providerWords(words)}`, RETRY_CODES.has(body.Code));
  }

  return {
    code: 'sms',
    // SendSms takes no idempotency key (OutId is only a label): a call whose answer was lost may have sent.
    idempotent: false,
    notConfigured: () => (settings ? null : 'ALIYUN_SMS_ACCESS_KEY_ID is not set'),
    unreachable(recipient, event) {
      if (!mainlandMobile(recipient.phone)) return 'no mobile number';
      return event ? noTemplate(event) : null;
    },
    async send({ message, recipient, idempotencyKey, signal }) {
      const outcome = await send(message, recipient, idempotencyKey, signal);
      return withoutSecrets(outcome, [settings?.accessKeySecret]);
    },
  };
}
