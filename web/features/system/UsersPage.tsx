import { ResourceList } from '../../components/resource/ResourceList.tsx';

/** Staff accounts. A change to someone's roles may be a change to the signed-in user's own menus. */
export default function UsersPage() {
  return <ResourceList resource="users" createDefaults={{ active: true }} refreshesMe />;
}
