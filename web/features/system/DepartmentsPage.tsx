import { ResourceList } from '../../components/resource/ResourceList.tsx';

export default function DepartmentsPage() {
  return <ResourceList resource="departments" />;
}
