import { ResourceList } from '../../components/resource/ResourceList.tsx';

/** The permission catalogue: titles and menu placement are editable; pages' titles show in the menu. */
export default function PermissionsPage() {
  return <ResourceList resource="permissions" refreshesMe />;
}
