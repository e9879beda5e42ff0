import { ErrorResult } from './ErrorResult.tsx';

export default function NotFoundPage() {
  return <ErrorResult status="404" words="notFound" />;
}
