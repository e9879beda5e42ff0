import type { BindOutcome } from './bind.ts';

/**
 * The page WeChat's browser shows after the callback: one self-contained HTML page in Chinese (no
 * script, no outside file; the content security policy allows its inline style), saying what
 * happened and, when nothing was bound, what to do. It names nobody but the person bound.
 */
type Words = { status: number; ok: boolean; title: string; text: string };

const again = '请在电脑上打开「我的资料」页面，扫描新的二维码。';

function wordsOf(outcome: BindOutcome): Words {
  switch (outcome.kind) {
    case 'bound':
      return {
        status: 200,
        ok: true,
        title: '绑定成功',
        text: `${outcome.name}，你的微信已与榕树 CRM 账号绑定，今后的通知会通过公众号发给你。现在可以关闭此页面。`,
      };
    case 'not_configured':
      return {
        status: 409,
        ok: false,
        title: '暂时无法绑定',
        text: '学校还没有配置微信公众号，暂时不能绑定微信。请联系系统管理员。',
      };
    case 'invalid':
      return {
        status: 400,
        ok: false,
        title: '二维码无效',
        text: `这个链接不是本系统生成的，或已被改动，没有绑定任何账号。${again}`,
      };
    case 'expired':
      return {
        status: 400,
        ok: false,
        title: '二维码已过期',
        text: `二维码的有效期为 10 分钟，这个已经过期，没有绑定任何账号。${again}`,
      };
    case 'reused':
      return {
        status: 409,
        ok: false,
        title: '二维码已使用',
        text: `每个二维码只能使用一次，这个已经用过，没有再次绑定。${again}`,
      };
    case 'taken':
      return {
        status: 409,
        ok: false,
        title: '该微信已绑定其他账号',
        text: '这个微信已经绑定了系统中的另一个账号，没有绑定到你的账号。请先在那个账号的「我的资料」页面解绑，再重新扫码。',
      };
    case 'wechat_error':
      return {
        status: 502,
        ok: false,
        title: '微信授权失败',
        text: `暂时无法从微信取得你的身份，没有绑定任何账号。请稍后重试：${again}如果一直失败，请联系系统管理员。`,
      };
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The page for an outcome, and the HTTP status it goes with. */
export function bindingPage(outcome: BindOutcome): { status: number; html: string } {
  const words = wordsOf(outcome);
  const colour = words.ok ? '#389e0d' : '#cf1322';
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words.title)} · 榕树 CRM</title>
<style>
body{margin:0;padding:0 16px;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f5f5;color:#1f1f1f}
main{max-width:420px;margin:12vh auto 0;padding:32px 24px;background:#fff;border-radius:12px;text-align:center;box-shadow:0 1px 4px rgba(0,0,0,.08)}
.mark{width:64px;height:64px;margin:0 auto 16px;border-radius:50%;background:${colour};color:#fff;font-size:36px;line-height:64px}
h1{font-size:22px;margin:0 0 12px}
p{font-size:16px;line-height:1.7;margin:0;color:#434343}
.brand{margin-top:24px;font-size:13px;color:#8c8c8c}
</style>
</head>
<body>
<main data-outcome="${outcome.kind}">
<div class="mark" aria-hidden="true">${words.ok ? '✓' : '!'}</div>
<h1>${escapeHtml(words.title)}</h1>
<p>${escapeHtml(words.text)}</p>
<p class="brand">榕树 CRM</p>
</main>
</body>
</html>
`;
  return { status: words.status, html };
}
