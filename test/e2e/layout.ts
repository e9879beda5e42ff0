import type { Page } from 'playwright-core';

/**
 * What is wrong with the geometry of the page's tables, as a person would find it (issue 19, item 9):
 * a header cell that no horizontal position of its table shows clear of the columns pinned to either
 * side (the 操作 column above all), a table wider than its box whose horizontal scroll bar is
 * nowhere in sight (only at the bottom of a long page), or a header that scrolls away from its rows.
 * Geometry, not pixels: the boxes the browser laid out, at each position of the table's own scroll.
 */
export async function tableLayoutProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  // The test runner's transform names functions with a helper the page does not have.
  await page.evaluate('globalThis.__name = globalThis.__name || ((f) => f)');
  const tables = page.locator('.ant-table-wrapper:visible');
  const count = await tables.count();
  for (let i = 0; i < count; i++) {
    const found = await tables.nth(i).evaluate(async (wrapper) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)));
      const out: string[] = [];
      const scroller =
        wrapper.querySelector<HTMLElement>('.ant-table-body') ??
        wrapper.querySelector<HTMLElement>('.ant-table-content');
      if (!scroller) return out;
      const headerCells = Array.from(wrapper.querySelectorAll<HTMLElement>('thead > tr > th')).filter(
        (th) => th.getBoundingClientRect().width > 0 && !th.classList.contains('ant-table-cell-scrollbar'),
      );
      const pinned = (th: HTMLElement) => /ant-table-cell-fix/.test(th.className);
      const name = (th: HTMLElement) => th.innerText.trim() || `column ${headerCells.indexOf(th) + 1}`;
      const free = headerCells.filter((th) => !pinned(th));
      const seen = new Set<HTMLElement>();
      const overflow = scroller.scrollWidth - scroller.clientWidth;
      const step = Math.max(40, Math.floor(scroller.clientWidth / 3));
      const positions = [0];
      for (let at = step; at < overflow; at += step) positions.push(at);
      if (overflow > 0) positions.push(overflow);
      for (const at of positions) {
        scroller.scrollLeft = at;
        scroller.dispatchEvent(new Event('scroll'));
        await frame();
        const box = scroller.getBoundingClientRect();
        let left = box.left;
        let right = box.right;
        for (const th of headerCells.filter(pinned)) {
          const r = th.getBoundingClientRect();
          // Pinned to the start or to the end: whichever side of the box it sits on narrows the view.
          if (r.left - box.left < box.right - r.right) left = Math.max(left, r.right);
          else right = Math.min(right, r.left);
        }
        for (const th of free) {
          const r = th.getBoundingClientRect();
          // Two pixels of slack: antd rounds the header's measured widths apart from the body's.
          if (r.left >= left - 2 && r.right <= right + 2) seen.add(th);
        }
      }
      scroller.scrollLeft = 0;
      scroller.dispatchEvent(new Event('scroll'));
      await frame();
      for (const th of free)
        if (!seen.has(th)) out.push(`header "${name(th)}" is never clear of the pinned columns`);

      if (overflow > 1) {
        // The scroll bar must be in sight: the table's bottom on screen, or antd's sticky scroll bar.
        const bottom = scroller.getBoundingClientRect().bottom;
        const sticky = wrapper.querySelector<HTMLElement>('.ant-table-sticky-scroll');
        const stickyShown =
          sticky !== null &&
          sticky.getBoundingClientRect().height > 0 &&
          sticky.getBoundingClientRect().bottom <= window.innerHeight + 1 &&
          sticky.getBoundingClientRect().top >= 0;
        if (bottom > window.innerHeight && !stickyShown)
          out.push(`scrolls sideways by ${overflow}px but its scroll bar is below the screen`);
      }
      return out;
    });
    problems.push(...found.map((problem) => `table ${i + 1}: ${problem}`));
  }
  return problems;
}
