/** The application and tray menus as templates (Electron's MenuItemConstructorOptions). */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openWindow(): void;
  importFiles(): void;
  openDataFolder(): void;
  openWebsite(): void;
  quit(): void;
}

export function appMenuTemplate(
  a: MenuActions,
  opts: { platform: NodeJS.Platform; appName: string; isPackaged: boolean },
): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Import files…', accelerator: 'CmdOrCtrl+O', click: () => a.importFiles() },
      { label: 'Open data folder', click: () => a.openDataFolder() },
      { type: 'separator' },
      mac ? { role: 'close' } : { label: 'Quit', accelerator: 'Ctrl+Q', click: () => a.quit() },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(opts.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Eclectyc Energy website', click: () => a.openWebsite() },
      { label: 'Open data folder', click: () => a.openDataFolder() },
      ...(mac
        ? []
        : [{ type: 'separator' } as MenuItemConstructorOptions, { role: 'about' } as MenuItemConstructorOptions]),
    ],
  };
  return [
    ...(mac
      ? [
          {
            label: opts.appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { label: `Quit ${opts.appName}`, accelerator: 'Cmd+Q', click: () => a.quit() },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}

export function trayMenuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Eclectyc Energy', click: () => a.openWindow() },
    { label: 'Import files…', click: () => a.importFiles() },
    { type: 'separator' },
    { label: 'Quit', click: () => a.quit() },
  ];
}
