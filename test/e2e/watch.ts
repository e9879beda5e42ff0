import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What a story test promises about every page it passes through (issue 19): no console error, no
 * failed request, and no raw code on screen. A story that provokes a refusal on purpose (a
 * duplicate entry) says so with `expectFailure`, and the watcher then requires that it happened.
 */
export type PageWatch = {
  /** A request the story makes fail on purpose: `status` answered to a URL matching `url`. */
  expectFailure: (url: RegExp, status: number) => void;
  /** Fails the test with everything that went wrong since the watch began (or the last check). */
  check: () => void;
};

export function watchPage(page: Page): PageWatch {
  const problems: string[] = [];
  const expected: { url: RegExp; status: number; seen: boolean }[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium's own line for an HTTP error answer: the response listener below judges those (an
    // expected refusal is no problem; any other is reported there, with its URL).
    if (/^Failed to load resource: the server responded with a status of \d+/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // A navigation or a refetch the page itself abandoned is no failure the user sees.
    if (/ERR_ABORTED|NS_BINDING_ABORTED/.test(failure)) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const match = expected.find(
      (e) => !e.seen && e.status === response.status() && e.url.test(response.url()),
    );
    if (match) match.seen = true;
    else problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return {
    expectFailure: (url, status) => {
      expected.push({ url, status, seen: false });
    },
    check: () => {
      const missed = expected
        .filter((e) => !e.seen)
        .map((e) => `expected ${e.status} from ${e.url} did not happen`);
      const all = [...problems.splice(0), ...missed];
      expected.splice(0);
      expect(all, 'console errors and failed requests').toEqual([]);
    },
  };
}

/** snake_case words: a code the user should never read (`payment_to_confirm`, `released_no_deal`). */
const RAW_CODE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

/** The codes visible on the page now (its text, tooltips and placeholders aside). */
export async function rawCodesOnScreen(page: Page): Promise<string[]> {
  // A code in a tooltip is there on purpose (CodeTip, for administrators): the mouse left where a
  // link was clicked may rest on a permission of the page that opened, and on a slow machine its
  // tooltip is up by the time the text is read. What counts is the page itself.
  // Waiting for tooltips to close was not enough: one whose delay began before the mouse moved away
  // could open after the wait (a permission's code under the link the audit log clicked, once in a
  // clean-clone run). So tooltips are left out of the text read.
  await page.mouse.move(0, 0);
  const text = await page.evaluate(() => {
    const hide = document.createElement('style');
    hide.textContent = '.ant-tooltip { display: none !important; }';
    document.head.append(hide);
    try {
      return document.body.innerText;
    } finally {
      hide.remove();
    }
  });
  return [...new Set(text.match(RAW_CODE) ?? [])];
}

export async function expectNoRawCodes(page: Page): Promise<void> {
  expect(await rawCodesOnScreen(page), `raw codes on ${page.url()}`).toEqual([]);
}
