import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/auth.ts';
import { ApiError, onAuthEpoch, onUnauthorized } from '../api/client.ts';
import { currentLanguage } from '../i18n/index.ts';
import { banyanTheme } from './theme.ts';
import { meQueryKey } from './useMe.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a dropped connection or a restarting server might.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

// When any call finds the session gone, forget this user's data; the auth guard sees `me` turn
// null and sends the user to sign in, with the page they were on as `next`.
onUnauthorized(() => {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  queryClient.setQueryData(meQueryKey, null);
});

// A grant or a role changed somewhere (ours or anyone's): read `me` again, so the menu and the
// pages it opens follow without a reload.
onAuthEpoch((epoch) => {
  const me = queryClient.getQueryData<Me | null>(meQueryKey);
  if (me && me.authEpoch !== epoch && !queryClient.isFetching({ queryKey: meQueryKey })) {
    void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }
});

const antdLocales = { 'zh-CN': zhCN, en: enUS };

export function Providers({ children }: { children: ReactNode }) {
  useTranslation(); // re-render when the language changes, so antd's own texts follow it
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={antdLocales[currentLanguage()]} theme={banyanTheme}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
