import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CodeOf, importAssign, importMode, jobStatus } from '../../../server/db/schema/enums.ts';
import { api } from '../../api/client.ts';

/** How an import gives out its customers, in the form's order: each of enums.ts `importAssign`. */
export const importAssigns = ['rotation', 'column', 'pool'] as const satisfies readonly CodeOf<
  typeof importAssign
>[];
export type ImportAssign = CodeOf<typeof importAssign>;

export type ImportMode = CodeOf<typeof importMode>;
export type ImportStatus = CodeOf<typeof jobStatus>;

/**
 * A row the import refused; `row` is the sheet's row number (the header is row 1). The reason is a
 * code with its values (words.ts words it); rows refused before codes existed have only `message`.
 */
export type ImportRowError = {
  row: number;
  column: string | null;
  message: string;
  code: string | null;
  params: Record<string, string | number> | null;
};

/** One import as `GET /api/imports` lists it (server/modules/imports/routes.ts). */
export type ImportSummary = {
  id: number;
  fileName: string;
  mode: ImportMode;
  assign: ImportAssign;
  status: ImportStatus;
  processed: number;
  /** 0 until the worker has counted the rows. */
  total: number;
  created: number;
  skipped: number;
  valid: number;
  errorCount: number;
  /** Why a failed import stopped: in Chinese, and (since codes) as a code with its values. */
  failure: string | null;
  failureCode: string | null;
  failureParams: Record<string, string | number> | null;
  /** The header as understood: each recognised title and the customer field it fills. */
  columns: { column: string; field: string }[];
  ignoredColumns: string[];
  /** Who started it; null once their account is gone. */
  user: { id: number; name: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** `GET /api/imports/:id`: the summary and the first rows it refused (at most 1000). */
export type ImportJob = ImportSummary & { errors: ImportRowError[] };

export const importKeys = {
  all: ['imports'] as const,
  recent: ['imports', 'recent'] as const,
  one: (id: number) => ['imports', 'one', String(id)] as const,
};

/** How often an unfinished import is asked about. */
export const IMPORT_POLL_MS = 500;

export const isFinished = (status: ImportStatus): boolean => status === 'done' || status === 'failed';

/** One import, asked about every half second until the worker is done with it. */
export function useImport(id: number | null) {
  return useQuery({
    queryKey: importKeys.one(id ?? 0),
    queryFn: () => api.get<ImportJob>(`/imports/${id}`),
    enabled: id !== null,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (query.state.status === 'error' || (data && isFinished(data.status))) return false;
      return IMPORT_POLL_MS;
    },
  });
}

/** The latest imports, newest first; refreshed every few seconds while one of them is unfinished. */
export function useRecentImports() {
  return useQuery({
    queryKey: importKeys.recent,
    queryFn: () => api.get<{ items: ImportSummary[] }>('/imports'),
    select: (data) => data.items,
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => !isFinished(item.status)) ? 2_000 : false,
  });
}

/**
 * Uploads a file for a preview (`POST /api/customers/import`, multipart): the fields go before the
 * file, so the server knows what to do with it while it streams in. Answers the queued import's id.
 */
export function useStartPreview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, assign }: { file: File; assign: ImportAssign }) => {
      const form = new FormData();
      form.append('mode', 'preview');
      form.append('assign', assign);
      form.append('file', file, file.name);
      return api.postForm<{ importId: number }>('/customers/import', form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.recent }),
  });
}

/** Imports a previewed file for real: a new import (mode commit, same file and assignment). */
export function useCommitImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (previewId: number) => api.post<{ importId: number }>(`/imports/${previewId}/commit`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.recent }),
  });
}

/** The empty workbook with the headers the import understands. */
export const importTemplateUrl = '/api/customers/import-template';

/** Every refused row of an import, as a workbook, its reasons in `lang`. */
export const errorReportUrl = (id: number, lang: 'zh' | 'en') =>
  `/api/imports/${id}/errors.xlsx?lang=${lang}`;
