// Renders the loading / error / content block to HTML in both languages and checks what a nurse sees in each state.
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { uiEn, uiZh } from '../../../shared/i18n/ui';
import { ApiCallError } from '../api/client';
import { LoadedContent } from './LoadedContent';

// The API client and renderer/src/i18n.ts read browser globals when imported: give them minimal stand-ins (no transport).
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.window ??= { location: { hash: '', pathname: '/', search: '' } };
  g.sessionStorage ??= { getItem: () => null, setItem: () => {} };
  g.localStorage ??= { getItem: () => null, setItem: () => {} };
  g.document ??= { documentElement: {} };
});

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: uiZh }, en: { translation: uiEn } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const render = (state: Parameters<typeof LoadedContent<string>>[0]['state']) =>
  renderToStaticMarkup(<LoadedContent state={state}>{(d) => <p>内容：{d}</p>}</LoadedContent>);
const notFound = new ApiCallError({ code: 'NOT_FOUND', message: { zh: '未找到该受试者', en: 'Subject not found' } });

describe('LoadedContent', () => {
  it('shows a polite loading line before the data arrives, not the content', () => {
    const html = render({ data: null, error: null });
    expect(html).toContain('role="status"');
    expect(text(html)).toBe('正在加载…');
  });
  it('shows the content once loaded', () => {
    expect(text(render({ data: 'S001', error: null }))).toBe('内容：S001');
  });
  it('shows the error in Chinese with a retry button when a reload exists, and no content', () => {
    const html = render({ data: 'old', error: notFound, reload: () => {} });
    expect(text(html)).toContain('操作未完成： 未找到该受试者');
    expect(html).toContain('data-testid="load-retry"');
    expect(text(html)).toContain('重试');
    expect(text(html)).not.toContain('内容');
  });
  it('has no retry button without a reload, and speaks English after the toggle', async () => {
    await i18next.changeLanguage('en');
    try {
      const html = render({ data: null, error: notFound });
      expect(html).not.toContain('load-retry');
      expect(text(render({ data: null, error: null }))).toBe('Loading…');
    } finally {
      await i18next.changeLanguage('zh-CN');
    }
  });
});
