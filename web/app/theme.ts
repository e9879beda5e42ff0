import type { ThemeConfig } from 'antd';

const banyanGreen = '#1f7a5a';

/**
 * antd derives its light tints from the primary colour, and for a deep green they come out grey
 * (#afbab4); the selected menu item then looked disabled. These are the same green mixed with white.
 */
export const banyanTheme: ThemeConfig = {
  token: {
    colorPrimary: banyanGreen,
    colorPrimaryBg: '#e8f2ed',
    colorPrimaryBgHover: '#d5e8df',
    colorPrimaryBorder: '#b2d2c4',
    colorPrimaryBorderHover: '#8bbba6',
    colorLink: banyanGreen,
  },
};
