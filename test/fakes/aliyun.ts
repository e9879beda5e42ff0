import { createHmac, randomUUID } from 'node:crypto';
import { type FakeServer, formParams, startFakeServer } from './server.ts';

/**
 * Aliyun SMS's RPC endpoint, checking what Aliyun checks of a `SendSms` call, GET (query) or POST
 * (form): the common parameters; an AccessKeyId it knows (InvalidAccessKeyId.NotFound); a timestamp
 * within 15 minutes (InvalidTimeStamp.Expired); a nonce never used before (SignatureNonceUsed); the
 * signature recomputed with its own copy of the secret (SignatureDoesNotMatch, HTTP 400); then the
 * SMS's own checks: a mainland mobile, the sign name, a template it knows, TemplateParam a JSON
 * object of strings. It records the parameters of each message accepted. `answerNext(code)` refuses
 * the next message (isv.BUSINESS_LIMIT_CONTROL: the flow control).
 *
 * Its percent-encoding is written the way Aliyun's page describes it (form-encode, then + → %20,
 * * → %2A, %7E → ~), apart from the channel's, so the two check each other.
 */
export type AliyunFake = FakeServer & {
  /** The parameters of each accepted message, Signature and all. */
  messages: Record<string, string>[];
  answerNext(code: string, message?: string): void;
};

const FIFTEEN_MINUTES = 15 * 60_000;

function encode(value: string): string {
  return new URLSearchParams({ v: value })
    .toString()
    .slice(2)
    .replace(/\+/g, '%20')
    .replace(/\*/g, '%2A')
    .replace(/%7E/g, '~');
}

const COMMON: Record<string, string | null> = {
  Action: 'SendSms',
  Format: 'JSON',
  SignatureMethod: 'HMAC-SHA1',
  SignatureVersion: '1.0',
  Version: '2017-05-25',
  RegionId: null,
  SignatureNonce: null,
  Timestamp: null,
  AccessKeyId: null,
  Signature: null,
};

export async function startAliyunFake(options: {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: string[];
  now?: () => number;
}): Promise<AliyunFake> {
  const clock = options.now ?? Date.now;
  const nonces = new Set<string>();
  const messages: Record<string, string>[] = [];
  const queued: { Code: string; Message: string }[] = [];
  const refuse = (status: number, Code: string, Message: string) => ({
    status,
    json: { RequestId: randomUUID(), Code, Message },
  });

  const server = await startFakeServer(({ method, url, body, headers }) => {
    if (url.pathname !== '/' || (method !== 'GET' && method !== 'POST'))
      return refuse(404, 'NotFound', 'no such path');
    const form =
      method === 'POST' &&
      String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const params = { ...formParams(url.search.slice(1)), ...(form ? formParams(body) : {}) };
    for (const [name, wanted] of Object.entries(COMMON)) {
      if (!params[name]) return refuse(400, 'MissingParameter', `${name} is mandatory for this action.`);
      if (wanted !== null && params[name] !== wanted)
        return refuse(400, 'InvalidParameter', `${name} is invalid.`);
    }
    if (params.AccessKeyId !== options.accessKeyId) {
      return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const at = Date.parse(params.Timestamp!);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp!) || Number.isNaN(at)) {
      return refuse(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp does not match the specified format.',
      );
    }
    if (Math.abs(clock() - at) > FIFTEEN_MINUTES) {
      return refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    const { Signature: signature, ...signed } = params;
    const canonical = Object.keys(signed)
      .sort()
      .map((name) => `${encode(name)}=${encode(signed[name]!)}`)
      .join('&');
    const stringToSign = `${method}&${encode('/')}&${encode(canonical)}`;
    const expected = createHmac('sha1', `${options.accessKeySecret}&`).update(stringToSign).digest('base64');
    if (signature !== expected) {
      // As Aliyun words it: the string it signed quoted, phone number and all.
      return refuse(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }
    if (nonces.has(params.SignatureNonce!)) {
      return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    nonces.add(params.SignatureNonce!);

    const answer = (Code: string, Message: string, extra: object = {}) => ({
      json: { RequestId: randomUUID(), Code, Message, ...extra },
    });
    if (!/^(?:\+?86)?1[3-9]\d{9}$/.test(params.PhoneNumbers ?? '')) {
      return answer('isv.MOBILE_NUMBER_ILLEGAL', 'invalid mobile number');
    }
    if (params.SignName !== options.signName) return answer('isv.SMS_SIGNATURE_ILLEGAL', 'invalid sign name');
    if (!options.templates.includes(params.TemplateCode ?? '')) {
      return answer('isv.SMS_TEMPLATE_ILLEGAL', 'invalid template');
    }
    let templateParam: unknown;
    try {
      templateParam = JSON.parse(params.TemplateParam ?? '{}');
    } catch {
      return answer('isv.INVALID_JSON_PARAM', 'TemplateParam is not JSON');
    }
    if (
      typeof templateParam !== 'object' ||
      templateParam === null ||
      Object.values(templateParam).some((v) => typeof v !== 'string')
    ) {
      return answer('isv.INVALID_JSON_PARAM', 'TemplateParam takes string values only');
    }
    const next = queued.shift();
    if (next) return answer(next.Code, next.Message);
    messages.push(params);
    return answer('OK', 'OK', { BizId: `${messages.length}00000^0` });
  });

  return {
    ...server,
    messages,
    answerNext(Code, Message = '触发分钟级流控Permits:1') {
      queued.push({ Code, Message });
    },
  };
}
