import { ErrorResult } from './ErrorResult.tsx';

export default function ForbiddenPage() {
  return <ErrorResult status="403" words="forbidden" />;
}
