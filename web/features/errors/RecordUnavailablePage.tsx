import { ErrorResult } from './ErrorResult.tsx';

/**
 * A record's page whose record the server will not show: gone, or outside what the user may see —
 * the server answers both alike (404 "not found or no access"), so the page says both, in the
 * forbidden page's manner. An address the app does not know keeps NotFoundPage.
 */
export default function RecordUnavailablePage() {
  return <ErrorResult status="403" words="recordUnavailable" testId="record-unavailable" />;
}
