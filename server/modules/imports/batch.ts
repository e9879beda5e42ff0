import type { Db } from '../../db/client.ts';
import type { ImportFormat } from '../../db/schema/enums.ts';
import type { imports } from '../../db/schema/index.ts';
import type { NormalisedContacts, Viewer } from '../customers/duplicates.ts';
import type { HeaderMap, ParsedRow } from './columns.ts';
import type { SheetRow } from './read.ts';
import type { ImportLimits } from './refusals.ts';
import { type FailureCode, type ImportParams, wordFailure } from './words.ts';

/** What a batch of an import works with: shared by its checks (check.ts) and its writes (write.ts). */
export type ImportRecord = typeof imports.$inferSelect;

/** A reason the whole import stops: recorded as its failure, with what was done by then. */
export class ImportFailure extends Error {
  constructor(
    readonly code: FailureCode,
    readonly params: ImportParams = {},
  ) {
    super(wordFailure(code, params, 'zh'));
  }
}

export type Row = SheetRow &
  ParsedRow & { contacts: NormalisedContacts; consultantId: number | null; courseIds: number[] };

export type Totals = {
  processed: number;
  created: number;
  errorRows: number;
  assigned: Map<number, number>;
  unowned: number;
};

/** Lookups an import needs for every row, loaded once (check.ts). */
export type Directory = {
  courseByName: Map<string, number>;
  staffByName: Map<string, number | 'ambiguous'>;
  /** Of the staff, those who may own customers (distributions/owners.ts). */
  owners: Set<number>;
};

export type BatchContext = {
  db: Db;
  record: ImportRecord;
  header: HeaderMap;
  viewer: Viewer;
  directory: Directory;
  seen: Map<string, number>;
  totals: Totals;
  options: RunOptions;
};

export type Progress = { processed: number; total: number; created: number; errors: number };

export type RunOptions = {
  timezone: string;
  /** Who holds the import's claim; every batch renews it and fails if it was lost. */
  instance: string;
  leaseMs: number;
  batchSize: number;
  limits: ImportLimits;
  /**
   * The file's non-blank rows (read.ts): read here (readChecked) where this runs in a thread of its
   * own already, else in a reader thread (reader.ts) so that no file can exhaust this process.
   */
  read: (data: Buffer, format: ImportFormat) => AsyncIterable<SheetRow>;
  onProgress?: (progress: Progress) => void;
};
