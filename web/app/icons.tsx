import type { ComponentType } from 'react';
import * as menuIcons from './menuIcons.ts';

// The server names icons as strings; unknown names get AppstoreOutlined.
const icons: Record<string, ComponentType> = menuIcons;

/** The icons a menu group may have, for the menus page's picker. */
export const menuIconNames = Object.keys(icons);

export function MenuIcon({ name }: { name: string }) {
  const Icon = (Object.hasOwn(icons, name) ? icons[name] : undefined) ?? menuIcons.AppstoreOutlined;
  return <Icon />;
}
