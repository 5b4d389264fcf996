/** Fakes of the Electron objects the host configures, for tests in plain Node. */
import type { IpcEventLike, IpcMainLike } from './ipc';
import type { SenderFrameLike } from './security';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** An ipcMain stand-in that behaves like Electron's: one handler per channel, many listeners. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Set<Listener>>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** ipcRenderer.invoke from `frame`; arguments are structured-cloned as IPC does. */
  async invoke(frame: SenderFrameLike | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await h({ senderFrame: frame }, ...structuredClone(args)));
  }
  /** ipcRenderer.send from `frame`. */
  send(frame: SenderFrameLike | null, channel: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(channel) ?? []) l({ senderFrame: frame }, ...structuredClone(args));
  }
}

export const topFrame = (url: string): SenderFrameLike => ({ url, parent: null });

/** app.setBadgeCount and a tray's setToolTip, remembering what they were last given. */
export class FakeBadge {
  count: number | null = null;
  toolTip = 'Eclectyc Energy';
  calls = 0;
  setBadgeCount = (n: number): void => {
    this.count = n;
    this.calls++;
  };
  setToolTip = (t: string): void => {
    this.toolTip = t;
  };
}
