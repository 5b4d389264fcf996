/** The tray icon and its menu (Electron glue; the menu template is in menu.ts). */
import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { Logger } from '../core/events';
import { trayMenuTemplate, type MenuActions } from './menu';

export function createTray(assetsDir: string, actions: MenuActions, log: Logger): Tray | null {
  // tray@2x.png next to tray.png is picked up automatically on HiDPI screens.
  const image = nativeImage.createFromPath(path.join(assetsDir, 'tray.png'));
  if (image.isEmpty()) {
    log.warn(`tray icon not found in ${assetsDir}; running without a tray icon`);
    return null;
  }
  try {
    const tray = new Tray(image);
    tray.setToolTip('Eclectyc Energy');
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
    // Windows and Linux: a click opens the window (macOS shows the menu on click).
    if (process.platform !== 'darwin') tray.on('click', () => actions.openWindow());
    return tray;
  } catch (e) {
    log.warn('tray icon could not be created (this desktop may not support one)', e);
    return null;
  }
}
